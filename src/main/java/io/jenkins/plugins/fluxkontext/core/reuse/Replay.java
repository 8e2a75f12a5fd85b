package io.jenkins.plugins.fluxkontext.core.reuse;

import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
import io.jenkins.plugins.fluxkontext.core.model.ImageRecipe;
import io.jenkins.plugins.fluxkontext.core.model.InputImage;
import io.jenkins.plugins.fluxkontext.core.model.InvalidRequestException;
import io.jenkins.plugins.fluxkontext.core.model.Violation;
import io.jenkins.plugins.fluxkontext.core.output.ImageSidecar;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The request that made an image, rebuilt from its sidecar ({@code fromSidecar}, {@code --from-sidecar}): the same
 * provider, model, prompt, seed, format and parameters, one image, and the same input images, found where they were
 * given and held to their recorded SHA-256. A face then lets what the user gave beside the sidecar override it (a new
 * prompt on the same seed is a variation).
 *
 * <p>The provider's base URL is deliberately not taken from the sidecar: the API key goes there, and a sidecar is a
 * file anyone who can change the workspace can write. The face's own base URL for the provider applies.
 *
 * @param recipe where the image came from
 * @param from   the sidecar, as the user named it, for messages
 */
public record Replay(ImageRecipe recipe, String from) {

    public Replay {
        Objects.requireNonNull(recipe, "recipe");
    }

    /**
     * Reads the sidecar at {@code file}.
     *
     * @throws InvalidRequestException naming {@code field} when it cannot be read or is not a sidecar
     */
    public static Replay read(Path file, String field) {
        try {
            return new Replay(ImageSidecar.read(file).recipe(), file.toString());
        } catch (IOException e) {
            throw unreadable(field, file.toString(), e);
        }
    }

    /**
     * Reads a sidecar from {@code in}; {@code name} says which, for messages.
     *
     * @throws InvalidRequestException naming {@code field} when it cannot be read or is not a sidecar
     */
    public static Replay read(InputStream in, String name, String field) {
        try {
            return new Replay(ImageSidecar.read(in).recipe(), name);
        } catch (IOException e) {
            throw unreadable(field, name, e);
        }
    }

    private static InvalidRequestException unreadable(String field, String name, IOException e) {
        String why = e instanceof ImageSidecar.UnreadableSidecarException
                ? e.getMessage()
                : "it cannot be read (" + e.getMessage() + ")";
        return new InvalidRequestException(
                new Violation(field, name, "give the .json sidecar written beside an image; " + why));
    }

    /** The provider id the image was made at. */
    public String provider() {
        return recipe.provider();
    }

    /** The input images as given when the image was made (workspace- or folder-relative paths, or URLs). */
    public List<String> inputPaths() {
        return recipe.inputs().stream().map(ImageRecipe.Input::path).toList();
    }

    /** Their recorded SHA-256, in order; {@code null} for a URL. */
    public List<String> inputSha256() {
        return recipe.inputs().stream().map(ImageRecipe.Input::sha256).toList();
    }

    /**
     * A builder holding the request that made the image: prompt, model, seed, aspect ratio, output format, safety
     * tolerance, prompt upsampling, one image, and the input images resolved against {@code baseDir} (the workspace,
     * or the current folder). Setting a value on it overrides the sidecar's.
     */
    public GenerationRequest.Builder requestBuilder(Path baseDir) {
        GenerationRequest.Builder b = GenerationRequest.builder()
                .prompt(recipe.prompt())
                .model(recipe.model())
                .seed(recipe.seed())
                .aspectRatio(recipe.aspectRatio())
                .outputFormat(recipe.outputFormat())
                .safetyTolerance(recipe.safetyTolerance())
                .promptUpsampling(recipe.promptUpsampling())
                .count(1);
        for (String path : inputPaths()) {
            b.inputImage(InputImage.parse(path, baseDir));
        }
        return b;
    }

    /**
     * Holds input images to the SHA-256 their sidecar recorded: a replay must start from the same bytes, or it would
     * make another image under the same name.
     *
     * @param images   the request's input images, which are the sidecar's
     * @param expected the recorded digests, in the same order ({@code null}: not known, e.g. a URL)
     * @throws InvalidRequestException naming each image whose bytes differ, with both digests
     */
    public static void checkInputs(List<InputImage> images, List<String> expected) {
        List<Violation> problems = new ArrayList<>();
        for (int i = 0; i < images.size() && i < expected.size(); i++) {
            String recorded = expected.get(i);
            if (recorded == null) {
                continue;
            }
            InputImage image = images.get(i);
            String field = images.size() == 1 ? "image" : "images[" + (i + 1) + "]";
            String actual;
            try {
                actual = InputImage.sha256(image);
            } catch (IOException e) {
                problems.add(new Violation(
                        field, image.describe(), "the sidecar's input image cannot be read (" + e.getMessage() + ")"));
                continue;
            }
            if (actual != null && !actual.equalsIgnoreCase(recorded)) {
                problems.add(new Violation(
                        field,
                        image.describe(),
                        "the file at hand differs from the one the image was made from (SHA-256 " + actual
                                + ", the sidecar recorded " + recorded
                                + "); restore that file, or give the input images to use instead"));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
    }
}
