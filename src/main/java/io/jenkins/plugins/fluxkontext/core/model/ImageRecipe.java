package io.jenkins.plugins.fluxkontext.core.model;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Everything that decides one image: where it was asked for, with what, and which image of its task it is. A
 * sidecar records it, so the image can be made again ({@code fromSidecar}); its {@link #fingerprint()} says whether
 * two images are the same picture, so an image is never paid for twice.
 *
 * <p>The fingerprint is the SHA-256 of {@link #canonical()}: a JSON object with the keys {@code aspectRatio},
 * {@code endpoint}, {@code inputs} (the SHA-256 of each input image, in order), {@code model}, {@code outputFormat},
 * {@code positionInTask}, {@code prompt}, {@code promptUpsampling}, {@code provider}, {@code safetyTolerance},
 * {@code seed}, {@code taskImages} and {@code version} ({@link #FINGERPRINT_VERSION}), in that (ascending) order,
 * without whitespace, in UTF-8, strings escaped only where JSON requires it (quote, backslash, and control characters
 * as a backslash, {@code u} and four lower-case hex digits), a missing value as {@code null}. Where an input image came from does not count, only its bytes.
 * The version changes whenever a field is added or changes meaning, so an old fingerprint never matches a new one.
 *
 * @param provider        the provider id, e.g. {@code bfl}
 * @param endpoint        the provider's base URL as {@link #endpointOf} gives it: a simulator, a region or a gateway
 *                        may draw differently from the provider itself
 * @param model           the model id
 * @param prompt          the prompt as sent (after build variables)
 * @param seed            the seed sent with the task, or {@code null} for the provider's random one
 * @param aspectRatio     {@code W:H}, or {@code null} for the provider's choice
 * @param outputFormat    {@code png} or {@code jpeg}
 * @param safetyTolerance 0 to 6
 * @param promptUpsampling whether the provider rewrites the prompt
 * @param taskImages      how many images the task that makes this one asks for (more than 1 only where a provider
 *                        batches)
 * @param positionInTask  which of them this is, from 0
 * @param inputs          the input images, in order
 */
public record ImageRecipe(
        String provider,
        String endpoint,
        String model,
        String prompt,
        Long seed,
        String aspectRatio,
        String outputFormat,
        int safetyTolerance,
        boolean promptUpsampling,
        int taskImages,
        int positionInTask,
        List<Input> inputs) {

    /** The version of {@link #canonical()}. */
    public static final int FINGERPRINT_VERSION = 1;

    public ImageRecipe {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(prompt, "prompt");
        inputs = List.copyOf(inputs);
    }

    /**
     * One input image.
     *
     * @param path   as the user gave it (a path relative to the workspace or the current folder, or a URL without its
     *               query string); where a replay looks for it
     * @param sha256 its bytes' SHA-256 in lower-case hex, or {@code null} when they were never seen (a URL)
     */
    public record Input(String path, String sha256) {}

    /**
     * The recipe of image {@code positionInTask} of a task of {@code request} (one format) that asks for
     * {@code taskImages} images with {@code taskSeed}.
     *
     * @param inputSha256 the SHA-256 of each of the request's input images, in order ({@code null} for a URL)
     */
    public static ImageRecipe of(
            GenerationRequest request,
            Long taskSeed,
            int taskImages,
            int positionInTask,
            String provider,
            URI endpoint,
            List<String> inputSha256) {
        List<Input> inputs = new ArrayList<>();
        for (int i = 0; i < request.inputImages().size(); i++) {
            InputImage image = request.inputImages().get(i);
            String path =
                    switch (image) {
                        case InputImage.LocalFile file -> file.given();
                        case InputImage.RemoteUrl url -> url.describe();
                        case InputImage.InlineBytes inline -> inline.name();
                    };
            inputs.add(new Input(path, i < inputSha256.size() ? inputSha256.get(i) : null));
        }
        AspectRatio ratio = request.aspectRatio();
        return new ImageRecipe(
                provider,
                endpointOf(endpoint),
                request.model().id(),
                request.prompt(),
                taskSeed,
                ratio == null ? null : ratio.toString(),
                request.outputFormat().id(),
                request.safetyTolerance(),
                request.promptUpsampling(),
                taskImages,
                positionInTask,
                inputs);
    }

    /**
     * A base URL as fingerprints name it: scheme and host in lower case, the port when there is one, the path without
     * a trailing slash; never a user, query or fragment. {@code null} stays {@code null}.
     */
    public static String endpointOf(URI base) {
        if (base == null) {
            return null;
        }
        String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase(Locale.ROOT);
        String host = base.getHost() == null ? "" : base.getHost().toLowerCase(Locale.ROOT);
        String path = base.getRawPath() == null ? "" : base.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return scheme + "://" + host + (base.getPort() < 0 ? "" : ":" + base.getPort()) + path;
    }

    /**
     * Whether this image can be recognised again: it has a fixed seed and every input image's bytes are known. A random
     * seed makes a new picture each time; an input given by URL may change behind it.
     */
    public boolean reproducible() {
        return seed != null && inputs.stream().allMatch(i -> i.sha256() != null);
    }

    /** The SHA-256 of {@link #canonical()} in lower-case hex; {@code null} when {@link #reproducible()} is false. */
    public String fingerprint() {
        if (!reproducible()) {
            return null;
        }
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256").digest(canonical().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** The canonical text the fingerprint is taken of; see the class comment. */
    public String canonical() {
        StringBuilder json = new StringBuilder("{");
        json.append("\"aspectRatio\":").append(string(aspectRatio));
        json.append(",\"endpoint\":").append(string(endpoint));
        json.append(",\"inputs\":[");
        for (int i = 0; i < inputs.size(); i++) {
            json.append(i == 0 ? "" : ",").append(string(inputs.get(i).sha256()));
        }
        json.append("]");
        json.append(",\"model\":").append(string(model));
        json.append(",\"outputFormat\":").append(string(outputFormat));
        json.append(",\"positionInTask\":").append(positionInTask);
        json.append(",\"prompt\":").append(string(prompt));
        json.append(",\"promptUpsampling\":").append(promptUpsampling);
        json.append(",\"provider\":").append(string(provider));
        json.append(",\"safetyTolerance\":").append(safetyTolerance);
        json.append(",\"seed\":").append(seed == null ? "null" : seed.toString());
        json.append(",\"taskImages\":").append(taskImages);
        json.append(",\"version\":").append(FINGERPRINT_VERSION);
        return json.append("}").toString();
    }

    private static String string(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
