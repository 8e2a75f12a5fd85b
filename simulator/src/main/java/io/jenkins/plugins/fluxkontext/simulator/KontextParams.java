package io.jenkins.plugins.fluxkontext.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * BFL's Kontext parameters (docs.bfl.ai, flux-kontext-max), read and checked as BFL's own submit takes them and as the
 * gateways that pass them on take them: Vtrix's {@code params} and CometAPI's BFL-compatible body. {@code prompt},
 * {@code input_image} .. {@code input_image_4} (raw base64, data URI or URL), {@code seed}, {@code aspect_ratio} 21:9
 * .. 9:21, {@code output_format} jpeg|png, {@code safety_tolerance} 0..6, {@code prompt_upsampling}.
 *
 * @param problems every field that is wrong
 */
record KontextParams(
        String prompt,
        PromptWords words,
        List<BufferedImage> images,
        Long seed,
        FrameSize size,
        String format,
        List<FieldProblem> problems) {

    static final List<String> IMAGE_FIELDS = List.of("input_image", "input_image_2", "input_image_3", "input_image_4");

    /** {@code defaultFormat}: the output format when none is given, which differs between providers. */
    static KontextParams read(JsonNode params, InputImageReader inputs, String defaultFormat) throws IOException {
        List<FieldProblem> problems = new ArrayList<>();
        String prompt =
                params.path("prompt").isTextual() ? params.path("prompt").asText() : null;
        PromptWords words = null;
        if (prompt == null || prompt.isBlank()) {
            problems.add(new FieldProblem("prompt", "Field required", "missing"));
        } else {
            try {
                words = PromptWords.parse(prompt);
            } catch (PromptWords.UnknownWordException e) {
                problems.add(new FieldProblem("prompt", e.getMessage(), "value_error"));
            }
        }
        List<BufferedImage> images = new ArrayList<>();
        for (String field : IMAGE_FIELDS) {
            JsonNode value = params.path(field);
            if (value.isMissingNode() || value.isNull()) {
                continue;
            }
            try {
                images.add(inputs.read(value.asText()));
            } catch (InputImageReader.UnreadableImageException e) {
                problems.add(new FieldProblem(field, e.getMessage(), "value_error"));
            }
        }
        Long seed = null;
        JsonNode seedNode = params.path("seed");
        if (!seedNode.isMissingNode() && !seedNode.isNull()) {
            if (seedNode.isIntegralNumber()) {
                seed = seedNode.asLong();
            } else {
                problems.add(new FieldProblem("seed", "Input should be a valid integer", "int_type"));
            }
        }
        FrameSize size = null;
        JsonNode ratio = params.path("aspect_ratio");
        if (!ratio.isMissingNode() && !ratio.isNull()) {
            size = FrameSize.forRatio(ratio.asText());
            if (size == null) {
                problems.add(
                        new FieldProblem("aspect_ratio", "Aspect ratio must be between 21:9 and 9:21", "value_error"));
            }
        }
        String format = defaultFormat;
        JsonNode formatNode = params.path("output_format");
        if (!formatNode.isMissingNode() && !formatNode.isNull()) {
            format = formatNode.asText();
            if (!format.equals("png") && !format.equals("jpeg")) {
                problems.add(new FieldProblem("output_format", "Input should be 'jpeg' or 'png'", "enum"));
            }
        }
        JsonNode tolerance = params.path("safety_tolerance");
        if (!tolerance.isMissingNode()
                && !tolerance.isNull()
                && (!tolerance.isIntegralNumber()
                        || !tolerance.canConvertToInt()
                        || tolerance.asInt() < 0
                        || tolerance.asInt() > 6)) {
            problems.add(new FieldProblem(
                    "safety_tolerance", "Input should be less than or equal to 6 and at least 0", "less_than_equal"));
        }
        JsonNode upsampling = params.path("prompt_upsampling");
        if (!upsampling.isMissingNode() && !upsampling.isNull() && !upsampling.isBoolean()) {
            problems.add(new FieldProblem("prompt_upsampling", "Input should be a valid boolean", "bool_type"));
        }
        return new KontextParams(prompt, words, images, seed, size, format, problems);
    }

    /** The task these parameters ask {@code dialect} for: one image of {@code model}, with the submit's faults. */
    TaskBoard.Order order(String dialect, String model, Set<Fault> planned, BillingRule billing) {
        return new TaskBoard.Order(
                dialect,
                model,
                words.text(),
                seed,
                size,
                format,
                images,
                words.script().with(planned),
                1,
                billing);
    }
}
