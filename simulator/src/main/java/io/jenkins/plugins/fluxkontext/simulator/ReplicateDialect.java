package io.jenkins.plugins.fluxkontext.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replicate's predictions API as replicate.com/docs/reference/http documents it, under {@code /replicate}:
 * {@code Authorization: Bearer}; {@code POST /v1/models/black-forest-labs/flux-kontext-max/predictions} (or
 * {@code -pro}) with {@code {"input":{…}}} answering 201 with the prediction, held up to n seconds by
 * {@code Prefer: wait=n} (1 to 60; plain {@code wait} is 60) and returned as it then is ({@code starting} if it has not
 * finished); {@code GET /v1/predictions/{id}}; {@code POST /v1/predictions/{id}/cancel}. Statuses
 * {@code starting}, {@code processing}, {@code succeeded} ({@code output} a single URI), {@code failed}
 * ({@code error}), {@code canceled}. Moderation has no status: it is {@code failed} with an error saying the input or
 * output was "flagged as sensitive" (E005), on either side.
 *
 * <p>Input: {@code prompt}, {@code input_image} (an http(s) URL or a data URL), {@code aspect_ratio}
 * ({@code match_input_image} or one of thirteen), {@code seed}, {@code output_format} {@code jpg}|{@code png},
 * {@code safety_tolerance} 0 to 6 and at most 2 with an input image, {@code prompt_upsampling}.
 */
final class ReplicateDialect extends GatewayDialect {

    static final String ID = "replicate";
    static final String MODELS_PATH = "/v1/models/black-forest-labs/";
    static final Set<String> MODELS = Set.of("flux-kontext-max", "flux-kontext-pro");
    static final Set<String> ASPECT_RATIOS =
            Set.of("1:1", "16:9", "9:16", "4:3", "3:4", "3:2", "2:3", "4:5", "5:4", "21:9", "9:21", "2:1", "1:2");
    static final Duration MAX_WAIT = Duration.ofSeconds(60);
    static final double STARTING_SHARE = 0.2;
    /** The wording clients look for (AutoGPT's Kontext block, for one); Replicate documents no moderation code. */
    static final String FLAGGED =
            "The input or output was flagged as sensitive. Please try again with different inputs. (E005)";

    private static final Pattern PREFER_WAIT = Pattern.compile("(?i)\\s*wait(?:\\s*=\\s*(\\d+))?\\s*");

    ReplicateDialect(TaskBoard board, ResultDelivery delivery, ApiKeys keys, URI root) {
        super(ID, "Bearer", board, delivery, keys, root);
    }

    /** Problem details: {@code {"title","detail","status"}}. */
    @Override
    void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        Reply.json(exchange, status, object("title", code, "detail", message, "status", status));
    }

    @Override
    void route(HttpExchange exchange, String method, String path) throws IOException {
        if (path.startsWith(MODELS_PATH) && path.endsWith("/predictions") && method.equals("POST")) {
            String model = path.substring(MODELS_PATH.length(), path.length() - "/predictions".length());
            if (!MODELS.contains(model)) {
                error(exchange, 404, "Not found", "The requested resource could not be found.");
            } else {
                submit(exchange, model);
            }
        } else if (path.startsWith("/v1/predictions/")) {
            if (!authorised(exchange)) {
                return;
            }
            String[] parts = path.substring("/v1/predictions/".length()).split("/");
            SimulatedTask task = ownTask(parts[0]);
            if (task == null) {
                error(exchange, 404, "Not found", "Not found.");
            } else if (parts.length == 1 && method.equals("GET")) {
                poll(exchange, task);
            } else if (parts.length == 2 && parts[1].equals("cancel") && method.equals("POST")) {
                board.cancel(task, t -> true);
                Reply.json(exchange, 200, prediction(exchange, task, Instant.now()));
            } else {
                error(exchange, 405, "Method not allowed", "Method not allowed.");
            }
        } else {
            error(exchange, 404, "Not found", "The requested resource could not be found.");
        }
    }

    private void submit(HttpExchange exchange, String model) throws IOException {
        Arrival arrival = arrive(exchange, 400);
        if (arrival == null) {
            return;
        }
        JsonNode body = arrival.body();
        JsonNode input = body.path("input");
        List<Map<String, Object>> invalid = new ArrayList<>();
        if (!input.isObject()) {
            invalid.add(invalid("input", "input is required"));
            input = Reply.JSON.createObjectNode();
        }
        String prompt = input.path("prompt").isTextual() ? input.path("prompt").asText() : null;
        PromptWords words = null;
        if (prompt == null || prompt.isBlank()) {
            invalid.add(invalid("input.prompt", "prompt is required"));
        } else if ((words = words(prompt)) == null) {
            invalid.add(invalid("input.prompt", unknownWordMessage(prompt)));
        }
        List<BufferedImage> images = new ArrayList<>();
        JsonNode image = input.path("input_image");
        if (!image.isMissingNode() && !image.isNull()) {
            String value = image.asText("");
            String lower = value.toLowerCase(Locale.ROOT);
            if (!lower.startsWith("http://") && !lower.startsWith("https://") && !lower.startsWith("data:")) {
                invalid.add(invalid("input.input_image", "Does not match format 'uri'"));
            } else {
                try {
                    images.add(inputs.read(value));
                } catch (InputImageReader.UnreadableImageException e) {
                    invalid.add(invalid("input.input_image", e.getMessage()));
                }
            }
        }
        FrameSize size = images.isEmpty() ? FrameSize.SQUARE : null;
        JsonNode ratio = input.path("aspect_ratio");
        if (!ratio.isMissingNode() && !ratio.isNull() && !ratio.asText().equals("match_input_image")) {
            if (ASPECT_RATIOS.contains(ratio.asText())) {
                size = FrameSize.forRatio(ratio.asText());
            } else {
                invalid.add(invalid(
                        "input.aspect_ratio",
                        "aspect_ratio must be one of: match_input_image, " + String.join(", ", ASPECT_RATIOS)));
            }
        }
        Long seed = null;
        JsonNode seedNode = input.path("seed");
        if (!seedNode.isMissingNode() && !seedNode.isNull()) {
            if (seedNode.isIntegralNumber()) {
                seed = seedNode.asLong();
            } else {
                invalid.add(invalid("input.seed", "Invalid type. Expected: integer"));
            }
        }
        String format = "png";
        JsonNode formatNode = input.path("output_format");
        if (!formatNode.isMissingNode() && !formatNode.isNull()) {
            switch (formatNode.asText()) {
                case "png" -> format = "png";
                case "jpg" -> format = "jpeg";
                default -> invalid.add(invalid("input.output_format", "output_format must be one of: jpg, png"));
            }
        }
        JsonNode tolerance = input.path("safety_tolerance");
        if (!tolerance.isMissingNode() && !tolerance.isNull()) {
            if (!tolerance.isIntegralNumber() || tolerance.asInt() < 0 || tolerance.asInt() > 6) {
                invalid.add(invalid("input.safety_tolerance", "Must be an integer from 0 to 6"));
            } else if (!image.isMissingNode() && !image.isNull() && tolerance.asInt() > 2) {
                invalid.add(invalid(
                        "input.safety_tolerance", "2 is currently the maximum allowed when input images are used"));
            }
        }
        JsonNode upsampling = input.path("prompt_upsampling");
        if (!upsampling.isMissingNode() && !upsampling.isNull() && !upsampling.isBoolean()) {
            invalid.add(invalid("input.prompt_upsampling", "Invalid type. Expected: boolean"));
        }
        if (!invalid.isEmpty()) {
            Reply.json(
                    exchange,
                    422,
                    object(
                            "title",
                            "Input validation failed",
                            "detail",
                            invalid.stream()
                                    .map(p -> "- " + p.get("field") + ": " + p.get("description"))
                                    .reduce((a, b) -> a + "\n" + b)
                                    .orElse(""),
                            "status",
                            422,
                            "invalid_fields",
                            invalid));
            return;
        }
        SimulatedTask task = admit(
                exchange,
                arrival,
                new TaskBoard.Order(
                        ID,
                        model,
                        words.text(),
                        seed,
                        size,
                        format,
                        images,
                        words.script().with(arrival.planned()),
                        1,
                        BillingRule.REPLICATE));
        if (task == null) {
            return;
        }
        Duration hold = hold(exchange.getRequestHeaders().getFirst("Prefer"));
        if (!hold.isZero()) {
            try {
                task.ending().get(hold.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // Held as long as asked: the prediction goes back as it stands, starting or processing.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while holding the answer", e);
            }
        }
        Instant now = Instant.now();
        Map<String, Object> answer = prediction(exchange, task, now);
        if (task.state().ended()) {
            task.toldEnded(now);
        }
        Reply.json(exchange, 201, answer);
    }

    /** {@code Prefer: wait} holds 60 s, {@code wait=n} n seconds (1 to 60); no or another header, not at all. */
    static Duration hold(String prefer) {
        if (prefer == null) {
            return Duration.ZERO;
        }
        Matcher m = PREFER_WAIT.matcher(prefer);
        if (!m.matches()) {
            return Duration.ZERO;
        }
        if (m.group(1) == null) {
            return MAX_WAIT;
        }
        long seconds = Math.max(1, Math.min(MAX_WAIT.toSeconds(), Long.parseLong(m.group(1))));
        return Duration.ofSeconds(seconds);
    }

    private void poll(HttpExchange exchange, SimulatedTask task) throws IOException {
        Instant now = Instant.now();
        if (describable(exchange, task, now, e -> error(e, 404, "Not found", "Not found.")) == null) {
            return;
        }
        Reply.json(exchange, 200, prediction(exchange, task, now));
    }

    private Map<String, Object> prediction(HttpExchange exchange, SimulatedTask task, Instant now) {
        Map<String, Object> p = object(
                "id",
                task.id,
                "model",
                "black-forest-labs/" + task.model,
                "version",
                "official",
                "input",
                Map.of("prompt", task.prompt),
                "logs",
                "",
                "output",
                null,
                "data_removed",
                false,
                "error",
                null);
        String status =
                switch (task.state()) {
                    case PENDING -> task.elapsedShare(now) < STARTING_SHARE ? "starting" : "processing";
                    case READY -> "succeeded";
                    case FAILED -> "failed";
                    case REQUEST_MODERATED, CONTENT_MODERATED -> "failed";
                    case CANCELLED -> "canceled";
                };
        p.put("status", status);
        switch (task.state()) {
            case READY -> p.put("output", delivery.urlFor(exchange, task).toString());
            case FAILED -> p.put("error", "Prediction failed for an unknown reason (E1000)");
            case REQUEST_MODERATED, CONTENT_MODERATED -> p.put("error", FLAGGED);
            default -> {}
        }
        p.put("created_at", task.submittedAt.toString());
        p.put("started_at", status.equals("starting") ? null : task.submittedAt.toString());
        p.put("completed_at", task.state().ended() ? task.endedAt().toString() : null);
        p.put(
                "metrics",
                task.state() == TaskState.READY
                        ? Map.of(
                                "predict_time",
                                Duration.between(task.submittedAt, task.endedAt())
                                                .toMillis()
                                        / 1000.0)
                        : Map.of());
        p.put(
                "urls",
                object(
                        "get",
                        url(exchange, "/v1/predictions/" + task.id),
                        "cancel",
                        url(exchange, "/v1/predictions/" + task.id + "/cancel")));
        return p;
    }

    private static Map<String, Object> invalid(String field, String description) {
        return object("type", "invalid", "field", field, "description", description);
    }
}
