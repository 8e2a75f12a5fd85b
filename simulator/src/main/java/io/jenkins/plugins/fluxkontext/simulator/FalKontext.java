package io.jenkins.plugins.fluxkontext.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * fal's Kontext model input and output (fal.ai, flux-pro-kontext-max API reference), which Runflow's runs carry too
 * (docs.runflow.io, flux-pro/kontext): which endpoints exist, what each takes, and the output document. Input:
 * {@code prompt}; {@code image_url} (required on the edit endpoint) or {@code image_urls} (at least one, on
 * {@code /multi}), as a public URL or a {@code data:} URI; {@code seed}; {@code guidance_scale} 1 to 20;
 * {@code sync_mode}; {@code num_images} 1 to 4; {@code output_format} jpeg|png (jpeg); {@code safety_tolerance} a
 * <em>string</em> "1" to "6" ("2"); {@code enhance_prompt}; {@code aspect_ratio} one of nine. Output:
 * {@code images[]{url,width,height,content_type}}, {@code timings}, {@code seed}, {@code has_nsfw_concepts[]} (one flag
 * per image), {@code prompt}.
 */
final class FalKontext {

    /** What an endpoint does with input images. */
    enum Variant {
        EDIT,
        TEXT_TO_IMAGE,
        MULTI
    }

    /** The endpoint below its owner ({@code fal-ai/}, {@code black-forest-labs/}) and the model it runs. */
    record Endpoint(String model, Variant variant) {}

    /**
     * fal's endpoints for Kontext: {@code flux-pro/kontext/max} (edit), {@code …/text-to-image}, {@code …/multi}
     * (fal's model pages). The [pro] family ({@code flux-pro/kontext} and its two variants) follows the same names.
     */
    static final Map<String, Endpoint> ENDPOINTS = Map.of(
            "flux-pro/kontext/max", new Endpoint("flux-kontext-max", Variant.EDIT),
            "flux-pro/kontext/max/text-to-image", new Endpoint("flux-kontext-max", Variant.TEXT_TO_IMAGE),
            "flux-pro/kontext/max/multi", new Endpoint("flux-kontext-max", Variant.MULTI),
            "flux-pro/kontext", new Endpoint("flux-kontext-pro", Variant.EDIT),
            "flux-pro/kontext/text-to-image", new Endpoint("flux-kontext-pro", Variant.TEXT_TO_IMAGE),
            "flux-pro/kontext/multi", new Endpoint("flux-kontext-pro", Variant.MULTI));

    static final Set<String> ASPECT_RATIOS = Set.of("21:9", "16:9", "4:3", "3:2", "1:1", "2:3", "3:4", "9:16", "9:21");
    static final Set<String> SAFETY_TOLERANCES = Set.of("1", "2", "3", "4", "5", "6");
    static final int MAX_IMAGES = 4;

    /** An input read and checked: FastAPI-style problems ({@code loc}, {@code msg}, {@code type}) when it is not. */
    record Input(
            String prompt,
            PromptWords words,
            List<BufferedImage> images,
            Long seed,
            FrameSize size,
            String format,
            int numImages,
            List<FieldProblem> problems) {

        /** The task this input asks {@code dialect} for, with the submit's faults. */
        TaskBoard.Order order(String dialect, Endpoint endpoint, Set<Fault> planned, BillingRule billing) {
            return new TaskBoard.Order(
                    dialect,
                    endpoint.model(),
                    words.text(),
                    seed,
                    size,
                    format,
                    images,
                    words.script().with(planned),
                    numImages,
                    billing);
        }
    }

    private FalKontext() {}

    static Input read(JsonNode input, Endpoint endpoint, InputImageReader inputs) throws IOException {
        List<FieldProblem> problems = new ArrayList<>();
        String prompt = input.path("prompt").isTextual() ? input.path("prompt").asText() : null;
        PromptWords words = null;
        if (prompt == null || prompt.isBlank()) {
            problems.add(new FieldProblem("prompt", "Field required", "missing"));
        } else if ((words = GatewayDialect.words(prompt)) == null) {
            problems.add(new FieldProblem("prompt", GatewayDialect.unknownWordMessage(prompt), "value_error"));
        }
        List<BufferedImage> images = new ArrayList<>();
        JsonNode imageUrl = input.path("image_url");
        JsonNode imageUrls = input.path("image_urls");
        switch (endpoint.variant()) {
            case EDIT -> {
                if (!imageUrl.isTextual()) {
                    problems.add(new FieldProblem("image_url", "Field required", "missing"));
                } else {
                    image(inputs, imageUrl.asText(), "image_url", images, problems);
                }
            }
            case MULTI -> {
                if (!imageUrls.isArray() || imageUrls.isEmpty()) {
                    problems.add(new FieldProblem("image_urls", "List should have at least 1 item", "too_short"));
                } else {
                    for (int i = 0; i < imageUrls.size(); i++) {
                        image(inputs, imageUrls.get(i).asText(""), "image_urls", images, problems);
                    }
                }
            }
            case TEXT_TO_IMAGE -> {
                if (!imageUrl.isMissingNode() || !imageUrls.isMissingNode()) {
                    problems.add(new FieldProblem(
                            "image_url", "The text-to-image endpoint takes no input image", "extra_forbidden"));
                }
            }
        }
        Long seed = null;
        JsonNode seedNode = input.path("seed");
        if (!seedNode.isMissingNode() && !seedNode.isNull()) {
            if (seedNode.isIntegralNumber()) {
                seed = seedNode.asLong();
            } else {
                problems.add(new FieldProblem("seed", "Input should be a valid integer", "int_type"));
            }
        }
        FrameSize size = endpoint.variant() == Variant.TEXT_TO_IMAGE ? FrameSize.SQUARE : null;
        JsonNode ratio = input.path("aspect_ratio");
        if (!ratio.isMissingNode() && !ratio.isNull()) {
            if (ASPECT_RATIOS.contains(ratio.asText())) {
                size = FrameSize.forRatio(ratio.asText());
            } else {
                problems.add(new FieldProblem(
                        "aspect_ratio", "Input should be " + String.join(", ", ASPECT_RATIOS), "enum"));
            }
        }
        int numImages = 1;
        JsonNode num = input.path("num_images");
        if (!num.isMissingNode() && !num.isNull()) {
            if (!num.isIntegralNumber() || num.asInt() < 1 || num.asInt() > MAX_IMAGES) {
                problems.add(
                        new FieldProblem("num_images", "Input should be an integer from 1 to 4", "less_than_equal"));
            } else {
                numImages = num.asInt();
            }
        }
        String format = "jpeg";
        JsonNode formatNode = input.path("output_format");
        if (!formatNode.isMissingNode() && !formatNode.isNull()) {
            format = formatNode.asText();
            if (!format.equals("jpeg") && !format.equals("png")) {
                problems.add(new FieldProblem("output_format", "Input should be 'jpeg' or 'png'", "enum"));
            }
        }
        JsonNode tolerance = input.path("safety_tolerance");
        if (!tolerance.isMissingNode() && !tolerance.isNull()) {
            if (!tolerance.isTextual()) {
                problems.add(new FieldProblem("safety_tolerance", "Input should be a valid string", "string_type"));
            } else if (!SAFETY_TOLERANCES.contains(tolerance.asText())) {
                problems.add(
                        new FieldProblem("safety_tolerance", "Input should be '1', '2', '3', '4', '5' or '6'", "enum"));
            }
        }
        JsonNode guidance = input.path("guidance_scale");
        if (!guidance.isMissingNode()
                && !guidance.isNull()
                && (!guidance.isNumber() || guidance.asDouble() < 1 || guidance.asDouble() > 20)) {
            problems.add(
                    new FieldProblem("guidance_scale", "Input should be a number from 1 to 20", "less_than_equal"));
        }
        for (String flag : List.of("enhance_prompt", "sync_mode")) {
            JsonNode value = input.path(flag);
            if (!value.isMissingNode() && !value.isNull() && !value.isBoolean()) {
                problems.add(new FieldProblem(flag, "Input should be a valid boolean", "bool_type"));
            }
        }
        return new Input(prompt, words, images, seed, size, format, numImages, problems);
    }

    private static void image(
            InputImageReader inputs,
            String value,
            String field,
            List<BufferedImage> images,
            List<FieldProblem> problems)
            throws IOException {
        String lower = value.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("http://") && !lower.startsWith("https://") && !lower.startsWith("data:")) {
            problems.add(new FieldProblem(field, "Input should be a public URL or a base64 data URI", "url_parsing"));
            return;
        }
        try {
            images.add(inputs.read(value));
        } catch (InputImageReader.UnreadableImageException e) {
            problems.add(new FieldProblem(field, e.getMessage(), "image_load_error"));
        }
    }

    /**
     * The output document of a finished task: every image's URL, and {@code has_nsfw_concepts} flagging the first
     * image when the output was moderated (a flagged image's URL answers 404: fal blanks it, the simulator withholds
     * it).
     */
    static Map<String, Object> output(HttpExchange exchange, SimulatedTask task, ResultDelivery delivery) {
        boolean flagged = task.state() == TaskState.CONTENT_MODERATED;
        List<Object> images = new ArrayList<>();
        List<Boolean> flags = new ArrayList<>();
        for (int i = 0; i < task.imageCount; i++) {
            Map<String, Object> image = new LinkedHashMap<>();
            image.put("url", delivery.urlFor(exchange, task, i).toString());
            image.put("width", task.size.width());
            image.put("height", task.size.height());
            image.put("content_type", task.format.equals("png") ? "image/png" : "image/jpeg");
            images.add(image);
            flags.add(flagged && i == 0);
        }
        Map<String, Object> output = new LinkedHashMap<>();
        output.put("images", images);
        output.put("timings", Map.of("inference", task.latency.toMillis() / 1000.0));
        output.put("seed", task.seed);
        output.put("has_nsfw_concepts", flags);
        output.put("prompt", task.prompt);
        return output;
    }
}
