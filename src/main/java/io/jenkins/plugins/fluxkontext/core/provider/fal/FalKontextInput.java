package io.jenkins.plugins.fluxkontext.core.provider.fal;

import static io.jenkins.plugins.fluxkontext.core.provider.ReplyJson.JSON;
import static io.jenkins.plugins.fluxkontext.core.provider.ReplyJson.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
import io.jenkins.plugins.fluxkontext.core.model.InputImage;
import io.jenkins.plugins.fluxkontext.core.model.KontextModel;
import io.jenkins.plugins.fluxkontext.core.model.Violation;
import io.jenkins.plugins.fluxkontext.core.provider.InputImageWire;
import io.jenkins.plugins.fluxkontext.core.provider.MalformedReplyException;
import io.jenkins.plugins.fluxkontext.core.provider.PollOutcome;
import io.jenkins.plugins.fluxkontext.core.provider.RatioChoices;
import io.jenkins.plugins.fluxkontext.core.provider.TaskSpec;
import io.jenkins.plugins.fluxkontext.core.task.Billing;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome.ModerationSide;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The model input and output fal's Kontext endpoints define
 * (https://fal.ai/docs/model-api-reference/image-generation-api/flux-pro-kontext-max): {@code image_url} (or
 * {@code image_urls} on {@code /multi}), {@code num_images} 1 to 4, {@code safety_tolerance} as a string from "1" to
 * "6", {@code enhance_prompt}, nine aspect ratios; the output lists {@code images[].url} and flags each image in
 * {@code has_nsfw_concepts}. Runflow takes the same input
 * (https://docs.runflow.io/models/black-forest-labs/flux-pro/kontext) but answers with its own normalized output, which
 * {@link RunflowDialect} reads.
 */
final class FalKontextInput {

    /** {@code num_images} is 1 to 4: a request for more is split into tasks of up to four. */
    static final int MAX_IMAGES_PER_TASK = 4;

    static final int MIN_SAFETY_TOLERANCE = 1;

    private final String provider;
    private final RatioChoices ratios;

    FalKontextInput(String provider) {
        this.provider = provider;
        this.ratios = RatioChoices.of(provider, "21:9", "16:9", "4:3", "3:2", "1:1", "2:3", "3:4", "9:16", "9:21");
    }

    List<Violation> unsupported(GenerationRequest request) {
        List<Violation> problems = new ArrayList<>();
        if (request.safetyTolerance() < MIN_SAFETY_TOLERANCE) {
            problems.add(new Violation(
                    "safetyTolerance",
                    Integer.toString(request.safetyTolerance()),
                    provider + " takes 1 (strictest) to 6"));
        }
        Violation ratio = ratios.check(request.aspectRatio());
        if (ratio != null) {
            problems.add(ratio);
        }
        return problems;
    }

    /** Tasks of up to four images each; each task's seed is that of its first image. */
    static List<TaskSpec> plan(GenerationRequest request) {
        List<TaskSpec> tasks = new ArrayList<>();
        int first = 1;
        for (int index = 1; first <= request.count(); index++) {
            int images = Math.min(MAX_IMAGES_PER_TASK, request.count() - first + 1);
            tasks.add(new TaskSpec(index, first, images, request.seedForImage(first - 1)));
            first += images;
        }
        return tasks;
    }

    /**
     * The endpoint below the owner: {@code flux-pro/kontext[/max]} edits one image, {@code …/text-to-image} makes one
     * from the prompt alone, {@code …/multi} (experimental at fal) edits several.
     */
    static String variantPath(GenerationRequest request) {
        String path = request.model() == KontextModel.MAX ? "flux-pro/kontext/max" : "flux-pro/kontext";
        if (!request.isEdit()) {
            return path + "/text-to-image";
        }
        return request.inputImages().size() > 1 ? path + "/multi" : path;
    }

    ObjectNode input(TaskSpec task, GenerationRequest request) throws IOException {
        ObjectNode input = JSON.createObjectNode();
        input.put("prompt", request.prompt());
        List<InputImage> images = request.inputImages();
        if (images.size() == 1) {
            input.put("image_url", InputImageWire.urlOrDataUri(images.get(0)));
        } else if (images.size() > 1) {
            ArrayNode urls = input.putArray("image_urls");
            for (InputImage image : images) {
                urls.add(InputImageWire.urlOrDataUri(image));
            }
        }
        if (task.seed() != null) {
            input.put("seed", task.seed());
        }
        if (request.aspectRatio() != null) {
            input.put("aspect_ratio", ratios.wireValue(request.aspectRatio()));
        }
        input.put("num_images", task.imageCount());
        // fal's default is jpeg, ours png: always explicit.
        input.put("output_format", request.outputFormat().id());
        input.put("safety_tolerance", Integer.toString(request.safetyTolerance()));
        input.put("enhance_prompt", request.promptUpsampling());
        return input;
    }

    /**
     * The model output: the images, or {@link PollOutcome.Moderated} on the output side when fal's safety checker
     * flagged any of them ({@code has_nsfw_concepts}; a flagged image is not worth downloading, and a batch with one
     * is not what was asked for).
     */
    static PollOutcome output(String status, JsonNode output, String taskId) throws MalformedReplyException {
        JsonNode flags = output.path("has_nsfw_concepts");
        int flagged = 0;
        for (JsonNode flag : flags) {
            if (flag.asBoolean(false)) {
                flagged++;
            }
        }
        if (flagged > 0) {
            return new PollOutcome.Moderated(
                    status,
                    ModerationSide.OUTPUT,
                    List.of(flagged + " of " + flags.size() + (flags.size() == 1 ? " image" : " images")
                            + " flagged in has_nsfw_concepts"),
                    Billing.MAYBE_BILLED);
        }
        List<String> urls = new ArrayList<>();
        for (JsonNode image : output.path("images")) {
            String url = text(image, "url");
            if (url != null && !url.isBlank()) {
                urls.add(url);
            }
        }
        if (urls.isEmpty()) {
            throw new MalformedReplyException("the result has no images[].url", taskId);
        }
        JsonNode seed = output.get("seed");
        return new PollOutcome.Ready(status, urls, seed != null && seed.canConvertToLong() ? seed.asLong() : null);
    }
}
