package io.jenkins.plugins.fluxkontext.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * ToAPIs as docs.toapis.com documents it (flux-kontext generation, task status, uploads), under {@code /toapis}:
 * {@code Authorization: Bearer}; {@code POST /v1/images/generations} ({@code model}, {@code prompt}, {@code size},
 * {@code image_urls} URL-only and at most one, {@code metadata.response_format} png|jpg,
 * {@code metadata.safety_tolerance}, {@code metadata.prompt_upsampling}) answering a {@code generation.task} in
 * {@code queued}; {@code GET /v1/images/generations/{id}} with {@code queued}, {@code in_progress}, {@code completed}
 * (images at {@code result.data[].url}) and {@code failed} ({@code error.code}, {@code error.message}); 404
 * {@code not_found_error}; {@code POST /v1/uploads/images} (multipart {@code file}, JPEG/PNG/WebP/GIF, at most 10 MB)
 * answering a URL this simulator serves. A prompt refused by moderation answers HTTP 422
 * {@code content_policy_violation} and creates no task.
 */
final class ToApisDialect extends GatewayDialect {

    static final String ID = "toapis";
    static final Set<String> MODELS = Set.of("flux-kontext-pro", "flux-kontext-max");
    static final Set<String> SIZES = Set.of("1:1", "4:3", "3:4", "16:9", "9:16", "3:2", "2:3", "21:9", "9:21");
    /** uploads/images.mdx: "max 10 MB". */
    static final int MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
    /** The share of a task's latency it spends {@code queued} before {@code in_progress}. */
    static final double QUEUED_SHARE = 0.2;

    private record Upload(byte[] bytes, String mimeType) {}

    private final Map<String, Upload> uploads = new ConcurrentHashMap<>();

    ToApisDialect(TaskBoard board, ResultDelivery delivery, ApiKeys keys, URI root) {
        super(ID, "Bearer", board, delivery, keys, root);
    }

    /** {@code {"error":{"code","message","type"}}}, as the 401 and 404 examples of ToAPIs' task status page. */
    @Override
    void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        String type =
                switch (status) {
                    case 401 -> "authentication_error";
                    case 404 -> "not_found_error";
                    case 429 -> "rate_limit_error";
                    case 400, 422 -> "invalid_request_error";
                    default -> "api_error";
                };
        Object shownCode = status == 401 || status == 404 ? (Object) status : code;
        Reply.json(exchange, status, Map.of("error", object("code", shownCode, "message", message, "type", type)));
    }

    @Override
    void route(HttpExchange exchange, String method, String path) throws IOException {
        if (path.equals("/v1/images/generations")) {
            if (method.equals("POST")) {
                submit(exchange);
            } else {
                error(exchange, 405, "method_not_allowed", "Method Not Allowed");
            }
        } else if (path.startsWith("/v1/images/generations/") && method.equals("GET")) {
            if (authorised(exchange)) {
                poll(exchange, path.substring("/v1/images/generations/".length()));
            }
        } else if (path.equals("/v1/uploads/images") && method.equals("POST")) {
            if (authorised(exchange)) {
                upload(exchange);
            }
        } else if (path.startsWith("/files/") && method.equals("GET")) {
            // Uploaded files are public URLs, fetched without a key (by ToAPIs itself, and by anyone holding them).
            Upload upload = uploads.get(path.substring("/files/".length()));
            if (upload == null) {
                error(exchange, 404, "not_found", "File not found");
            } else {
                Reply.bytes(exchange, 200, upload.mimeType(), upload.bytes());
            }
        } else {
            error(exchange, 404, "not_found", "Not Found");
        }
    }

    private void submit(HttpExchange exchange) throws IOException {
        Arrival arrival = arrive(exchange, 400);
        if (arrival == null) {
            return;
        }
        JsonNode body = arrival.body();
        List<String> problems = new ArrayList<>();
        String model = body.path("model").asText(null);
        if (model == null || !MODELS.contains(model)) {
            problems.add("model must be flux-kontext-pro or flux-kontext-max");
        }
        String prompt = body.path("prompt").isTextual() ? body.path("prompt").asText() : null;
        PromptWords words = null;
        if (prompt == null || prompt.isBlank()) {
            problems.add("prompt is required");
        } else if ((words = words(prompt)) == null) {
            problems.add(unknownWordMessage(prompt));
        }
        List<BufferedImage> images = new ArrayList<>();
        JsonNode urls = body.path("image_urls");
        if (!urls.isMissingNode() && !urls.isNull()) {
            if (!urls.isArray() || urls.size() > 1) {
                problems.add("image_urls takes at most 1 image URL");
            } else {
                for (JsonNode url : urls) {
                    String value = url.asText("");
                    if (!value.startsWith("http://") && !value.startsWith("https://")) {
                        problems.add("image_urls must be public http(s) URLs; base64 is not supported (upload the file"
                                + " with POST /v1/uploads/images first)");
                    } else {
                        try {
                            images.add(inputs.read(value));
                        } catch (InputImageReader.UnreadableImageException e) {
                            problems.add("image_urls[0]: " + e.getMessage());
                        }
                    }
                }
            }
        }
        FrameSize size = null;
        JsonNode sizeNode = body.path("size");
        if (!sizeNode.isMissingNode() && !sizeNode.isNull()) {
            String value = sizeNode.asText();
            if (value.equals("match_input_image") && !urls.isMissingNode() && !urls.isEmpty()) {
                size = null;
            } else if (SIZES.contains(value)) {
                size = FrameSize.forRatio(value);
            } else {
                problems.add("size must be one of " + String.join(", ", new TreeSet<>(SIZES))
                        + (value.equals("match_input_image") ? "" : ", or match_input_image with a reference image"));
            }
        } else if (urls.isMissingNode() || urls.isEmpty()) {
            size = FrameSize.forAspect(16, 9); // the documented default without a reference image
        }
        JsonNode metadata = body.path("metadata");
        String format = "png";
        JsonNode responseFormat = metadata.path("response_format");
        if (!responseFormat.isMissingNode() && !responseFormat.isNull()) {
            switch (responseFormat.asText()) {
                case "png" -> format = "png";
                case "jpg" -> format = "jpeg";
                default -> problems.add("metadata.response_format must be png or jpg");
            }
        }
        JsonNode tolerance = metadata.path("safety_tolerance");
        if (!tolerance.isMissingNode()
                && !tolerance.isNull()
                && (!tolerance.isIntegralNumber() || tolerance.asInt() < 0 || tolerance.asInt() > 6)) {
            problems.add("metadata.safety_tolerance must be an integer from 0 to 6");
        }
        JsonNode upsampling = metadata.path("prompt_upsampling");
        if (!upsampling.isMissingNode() && !upsampling.isNull() && !upsampling.isBoolean()) {
            problems.add("metadata.prompt_upsampling must be true or false");
        }
        if (!problems.isEmpty()) {
            error(exchange, 400, "invalid_request", String.join("; ", problems));
            return;
        }
        TaskScript script = words.script().with(arrival.planned());
        if (script.has(Fault.MODERATE_REQUEST)) {
            board.applied(ID, Fault.MODERATE_REQUEST);
            error(
                    exchange,
                    422,
                    "content_policy_violation",
                    "Your request was rejected by the safety system: the prompt or image violates the content policy");
            return;
        }
        // seed is not documented for flux-kontext (UNCONFIRMED): like n, it is not honoured here.
        SimulatedTask task = admit(
                exchange,
                arrival,
                new TaskBoard.Order(
                        ID, model, words.text(), null, size, format, images, script, 1, BillingRule.TOAPIS));
        if (task != null) {
            Reply.json(
                    exchange,
                    200,
                    object(
                            "id",
                            task.id,
                            "object",
                            "generation.task",
                            "model",
                            model,
                            "status",
                            "queued",
                            "progress",
                            0,
                            "created_at",
                            task.submittedAt.getEpochSecond(),
                            "metadata",
                            Map.of()));
        }
    }

    private void poll(HttpExchange exchange, String taskId) throws IOException {
        Instant now = Instant.now();
        SimulatedTask task =
                describable(exchange, ownTask(taskId), now, e -> error(e, 404, "not_found", "Task not found"));
        if (task == null) {
            return;
        }
        Map<String, Object> answer = object("id", taskId, "object", "generation.task", "model", task.model);
        TaskState state = task.state();
        switch (state) {
            case PENDING -> {
                boolean queued = task.elapsedShare(now) < QUEUED_SHARE;
                answer.put("status", queued ? "queued" : "in_progress");
                answer.put(
                        "progress",
                        queued || !board.settings().reportsProgress() ? 0 : (int) Math.round(task.progress(now) * 100));
            }
            case READY -> {
                answer.put("status", "completed");
                answer.put("progress", 100);
                answer.put("completed_at", task.endedAt().getEpochSecond());
                answer.put(
                        "expires_at", task.endedAt().plus(Duration.ofHours(24)).getEpochSecond());
                answer.put(
                        "result",
                        object(
                                "type",
                                "image",
                                "data",
                                List.of(Map.of(
                                        "url", delivery.urlFor(exchange, task).toString()))));
            }
            case CONTENT_MODERATED ->
                failed(answer, "content_policy_violation", "The generated image was flagged by the content policy");
            default -> failed(answer, "generation_failed", "call upstream API failed: upstream returned status 500");
        }
        answer.put("created_at", task.submittedAt.getEpochSecond());
        Reply.json(exchange, 200, answer);
    }

    private static void failed(Map<String, Object> answer, String code, String message) {
        answer.put("status", "failed");
        answer.put("progress", 0);
        answer.put("error", object("code", code, "message", message));
    }

    /** Multipart {@code file} (and optional {@code purpose}); {@code {"success","message","data":{id,url,mime_type,size}}}. */
    private void upload(HttpExchange exchange) throws IOException {
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        String boundary = contentType == null ? null : Multipart.boundary(contentType);
        if (boundary == null) {
            uploadRefused(exchange, 400, "the upload must be multipart/form-data with a file field");
            return;
        }
        byte[] raw;
        try (InputStream in = exchange.getRequestBody()) {
            raw = in.readNBytes(MAX_UPLOAD_BYTES + 64 * 1024);
            if (in.read() != -1) {
                uploadRefused(exchange, 413, "the file is larger than 10 MB");
                return;
            }
        }
        Multipart.Part file = Multipart.parse(raw, boundary).get("file");
        if (file == null) {
            uploadRefused(exchange, 400, "the multipart body has no file field");
            return;
        }
        if (file.bytes().length > MAX_UPLOAD_BYTES) {
            uploadRefused(exchange, 413, "the file is larger than 10 MB");
            return;
        }
        String mime = sniff(file.bytes());
        if (mime == null) {
            uploadRefused(exchange, 400, "only JPEG, PNG, WebP and GIF images can be uploaded");
            return;
        }
        String id = "file_" + UUID.randomUUID().toString().replace("-", "");
        String name = id + "." + mime.substring("image/".length()).replace("jpeg", "jpg");
        uploads.put(name, new Upload(file.bytes(), mime));
        Reply.json(
                exchange,
                200,
                object(
                        "success",
                        true,
                        "message",
                        "",
                        "data",
                        object(
                                "id",
                                id,
                                "url",
                                url(exchange, "/files/" + name),
                                "mime_type",
                                mime,
                                "size",
                                file.bytes().length)));
    }

    private static void uploadRefused(HttpExchange exchange, int status, String message) throws IOException {
        Reply.json(exchange, status, object("success", false, "message", message));
    }

    private static String sniff(byte[] b) {
        if (b.length > 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
            return "image/png";
        }
        if (b.length > 3 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xD8) {
            return "image/jpeg";
        }
        if (b.length > 12
                && new String(b, 0, 4, StandardCharsets.ISO_8859_1).equals("RIFF")
                && new String(b, 8, 4, StandardCharsets.ISO_8859_1).equals("WEBP")) {
            return "image/webp";
        }
        if (b.length > 6 && new String(b, 0, 4, StandardCharsets.ISO_8859_1).equals("GIF8")) {
            return "image/gif";
        }
        return null;
    }
}
