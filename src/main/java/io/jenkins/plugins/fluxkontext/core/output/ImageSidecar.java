package io.jenkins.plugins.fluxkontext.core.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.fluxkontext.core.model.ImageRecipe;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An image's provenance sidecar as read back: what a replay and a reuse need of it. Reads the current format
 * ({@link OutputWriter#FORMAT_VERSION}) and the first one, whose images have no fingerprint (so they are never reused)
 * but can be made again from their request and seed.
 *
 * @param formatVersion the sidecar's format
 * @param file          the image's file name, beside the sidecar
 * @param sha256        the image's SHA-256 as written
 * @param imageIndex    which image of its request, from 1
 * @param taskId        the provider task that made it; {@code null} when unknown
 * @param recipe        everything that decided the image (for the first format: rebuilt from its request and seed,
 *                      without the endpoint, which it did not record)
 * @param fingerprint   the fingerprint recorded with it; {@code null} for the first format and for images that cannot
 *                      be made again (random seed, an input given by URL)
 * @param reusedFrom    where it was copied from, when it is a reused copy
 * @param simulated     the provider simulator drew it: a placeholder, never billed
 */
public record ImageSidecar(
        int formatVersion,
        String file,
        String sha256,
        int imageIndex,
        String taskId,
        ImageRecipe recipe,
        String fingerprint,
        String reusedFrom,
        boolean simulated) {

    /** Far above any sidecar this writer makes; a bigger file is not one. */
    public static final long MAX_BYTES = 1024 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A file that is not a sidecar this version can read; the message says why. */
    public static final class UnreadableSidecarException extends IOException {
        private static final long serialVersionUID = 1L;

        UnreadableSidecarException(String message) {
            super(message);
        }
    }

    /**
     * Reads the sidecar at {@code file}; a symbolic link is refused.
     *
     * @throws UnreadableSidecarException when it is not a sidecar this version reads
     * @throws IOException                when it cannot be read
     */
    public static ImageSidecar read(Path file) throws IOException {
        if (Files.isSymbolicLink(file)) {
            throw new UnreadableSidecarException(file + " is a symbolic link, not a sidecar");
        }
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            return read(in);
        }
    }

    /**
     * Reads a sidecar from {@code in}, at most {@link #MAX_BYTES}; does not close it.
     *
     * @throws UnreadableSidecarException when it is not a sidecar this version reads
     * @throws IOException                when it cannot be read
     */
    public static ImageSidecar read(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes((int) MAX_BYTES + 1);
        if (bytes.length > MAX_BYTES) {
            throw new UnreadableSidecarException("it is larger than " + MAX_BYTES + " bytes, so not a sidecar");
        }
        JsonNode json;
        try {
            json = JSON.readTree(bytes);
        } catch (IOException e) {
            // Not the parser's words: they quote the file, and a path typed by mistake may name a secret.
            throw new UnreadableSidecarException("it is not JSON");
        }
        if (json == null || !json.isObject() || !json.path("formatVersion").canConvertToInt()) {
            throw new UnreadableSidecarException("it has no formatVersion, so it is not an image's sidecar");
        }
        int version = json.path("formatVersion").asInt();
        if (version < 1 || version > OutputWriter.FORMAT_VERSION) {
            throw new UnreadableSidecarException(
                    "its formatVersion " + version + " is not one this version reads (1 to "
                            + OutputWriter.FORMAT_VERSION + "); use the version that wrote it");
        }
        // A sidecar written without a recipe (the first format, or a writer that was given none) has the request.
        ImageRecipe recipe = json.path("recipe").isObject() ? recipe(json.path("recipe")) : requestRecipe(json);
        String fingerprint = version == 1 ? null : text(json.path("fingerprint").path("sha256"));
        return new ImageSidecar(
                version,
                text(json.path("file")),
                text(json.path("sha256")),
                json.path("imageIndex").asInt(1),
                text(json.path("taskId")),
                recipe,
                fingerprint,
                text(json.path("reusedFrom")),
                json.path("simulated").asBoolean(false));
    }

    private static ImageRecipe recipe(JsonNode r) throws UnreadableSidecarException {
        List<ImageRecipe.Input> inputs = new ArrayList<>();
        for (JsonNode input : r.path("inputImages")) {
            inputs.add(new ImageRecipe.Input(text(input.path("path")), text(input.path("sha256"))));
        }
        return new ImageRecipe(
                required(r, "provider"),
                text(r.path("endpoint")),
                required(r, "model"),
                required(r, "prompt"),
                r.path("seed").isIntegralNumber() ? r.path("seed").asLong() : null,
                text(r.path("aspectRatio")),
                required(r, "outputFormat"),
                r.path("safetyTolerance").asInt(2),
                r.path("promptUpsampling").asBoolean(false),
                r.path("taskImages").asInt(1),
                r.path("positionInTask").asInt(0),
                inputs);
    }

    /**
     * The first format recorded the whole request and each image's requested seed: the image's recipe is that request
     * in one image, in the image's format, with that seed. Input images were named by their full path.
     */
    private static ImageRecipe requestRecipe(JsonNode json) throws UnreadableSidecarException {
        JsonNode request = json.path("request");
        if (!request.isObject()) {
            throw new UnreadableSidecarException("it has no request");
        }
        List<ImageRecipe.Input> inputs = new ArrayList<>();
        for (JsonNode input : request.path("inputImages")) {
            inputs.add(new ImageRecipe.Input(text(input.path("source")), text(input.path("sha256"))));
        }
        JsonNode seed = json.path("seedRequested");
        return new ImageRecipe(
                json.hasNonNull("provider") ? json.path("provider").asText() : required(request, "provider"),
                null,
                required(request, "model"),
                required(request, "prompt"),
                seed.isIntegralNumber() ? seed.asLong() : null,
                json.has("aspectRatio") ? text(json.path("aspectRatio")) : text(request.path("aspectRatio")),
                required(request, "outputFormat"),
                request.path("safetyTolerance").asInt(2),
                request.path("promptUpsampling").asBoolean(false),
                1,
                0,
                inputs);
    }

    private static String required(JsonNode node, String field) throws UnreadableSidecarException {
        String value = text(node.path(field));
        if (value == null) {
            throw new UnreadableSidecarException("it records no " + field);
        }
        return value;
    }

    private static String text(JsonNode node) {
        return node.isValueNode() && !node.isNull() ? node.asText() : null;
    }
}
