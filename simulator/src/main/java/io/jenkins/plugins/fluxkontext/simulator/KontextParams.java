package io.jenkins.plugins.fluxkontext.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * BFL's Kontext parameters (docs.bfl.ai, flux-kontext-max) as the gateways that pass them on take them: Vtrix's
 * {@code params} and CometAPI's BFL-compatible body. {@code prompt}, {@code input_image} .. {@code input_image_4} (raw
 * base64, data URI or URL), {@code seed}, {@code aspect_ratio} 21:9 .. 9:21, {@code output_format} jpeg|png,
 * {@code safety_tolerance} 0..6, {@code prompt_upsampling}.
 *
 * @param problems every field that is wrong, as {@code field: why}
 */
record KontextParams(
        String prompt,
        PromptWords words,
        List<BufferedImage> images,
        Long seed,
        FrameSize size,
        String format,
        List<String> problems) {

    static final List<String> IMAGE_FIELDS = List.of("input_image", "input_image_2", "input_image_3", "input_image_4");

    static KontextParams read(JsonNode params, GatewayDialect dialect, String defaultFormat) throws IOException {
        List<String> problems = new ArrayList<>();
        String prompt =
                params.path("prompt").isTextual() ? params.path("prompt").asText() : null;
        PromptWords words = null;
        if (prompt == null || prompt.isBlank()) {
            problems.add("prompt: required");
        } else if ((words = GatewayDialect.words(prompt)) == null) {
            problems.add("prompt: " + GatewayDialect.unknownWordMessage(prompt));
        }
        List<BufferedImage> images = new ArrayList<>();
        for (String field : IMAGE_FIELDS) {
            JsonNode value = params.path(field);
            if (value.isMissingNode() || value.isNull()) {
                continue;
            }
            try {
                images.add(dialect.readImage(value.asText()));
            } catch (InputImageReader.UnreadableImageException e) {
                problems.add(field + ": " + e.getMessage());
            }
        }
        Long seed = null;
        JsonNode seedNode = params.path("seed");
        if (!seedNode.isMissingNode() && !seedNode.isNull()) {
            if (seedNode.isIntegralNumber()) {
                seed = seedNode.asLong();
            } else {
                problems.add("seed: must be an integer");
            }
        }
        FrameSize size = null;
        JsonNode ratio = params.path("aspect_ratio");
        if (!ratio.isMissingNode() && !ratio.isNull()) {
            size = GatewayDialect.frame(ratio.asText());
            if (size == null) {
                problems.add("aspect_ratio: must be between 21:9 and 9:21");
            }
        }
        String format = defaultFormat;
        JsonNode formatNode = params.path("output_format");
        if (!formatNode.isMissingNode() && !formatNode.isNull()) {
            format = formatNode.asText();
            if (!format.equals("png") && !format.equals("jpeg")) {
                problems.add("output_format: must be jpeg or png");
            }
        }
        JsonNode tolerance = params.path("safety_tolerance");
        if (!tolerance.isMissingNode()
                && !tolerance.isNull()
                && (!tolerance.isIntegralNumber() || tolerance.asInt() < 0 || tolerance.asInt() > 6)) {
            problems.add("safety_tolerance: must be an integer from 0 to 6");
        }
        JsonNode upsampling = params.path("prompt_upsampling");
        if (!upsampling.isMissingNode() && !upsampling.isNull() && !upsampling.isBoolean()) {
            problems.add("prompt_upsampling: must be true or false");
        }
        return new KontextParams(prompt, words, images, seed, size, format, problems);
    }
}
