package io.jenkins.plugins.fluxkontext.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Black Forest Labs' native API as docs.bfl.ai documents it (flux-kontext-max, Get Result, errors):
 * {@code POST /v1/flux-kontext-max} and {@code /v1/flux-kontext-pro} with {@code x-key}, answering
 * {@code {id, polling_url, cost, input_mp, output_mp}}; {@code GET /v1/get_result?id=} with the statuses
 * {@code Pending}, {@code Ready}, {@code Error}, {@code Request Moderated}, {@code Content Moderated},
 * {@code Task not found}; {@code GET /v1/credits}; errors as {@code {"detail": ...}} with 401/402/403/422/429/500/503.
 */
final class BflDialect implements SimulatedDialect {

    static final String ID = "bfl";
    static final List<String> MODELS = List.of("flux-kontext-max", "flux-kontext-pro");

    /**
     * BFL's {@code progress} scale is not documented (BFL's Get Result reference types it as a number); the simulator
     * sends a fraction from 0.0 to 1.0. UNCONFIRMED: change it here if a live call shows percent.
     */
    static final boolean PROGRESS_AS_FRACTION = true;

    private final TaskBoard board;
    private final ResultDelivery delivery;
    private final ApiKeys keys;
    private final InputImageReader inputs = new InputImageReader();
    private final URI base;

    BflDialect(TaskBoard board, ResultDelivery delivery, ApiKeys keys, URI base) {
        this.board = board;
        this.delivery = delivery;
        this.keys = keys;
        this.base = base;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<String> pathPrefixes() {
        return List.of("/v1/");
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (path.startsWith("/v1/flux-kontext-")) {
                String model = path.substring("/v1/".length());
                if (!MODELS.contains(model)) {
                    Reply.detail(exchange, 404, "Not Found");
                } else if (!method.equals("POST")) {
                    Reply.detail(exchange, 405, "Method Not Allowed");
                } else {
                    submit(exchange, model);
                }
            } else if (path.equals("/v1/get_result")) {
                if (authorised(exchange)) {
                    poll(exchange);
                }
            } else if (path.equals("/v1/credits")) {
                if (authorised(exchange)) {
                    Reply.json(exchange, 200, Map.of("credits", board.creditsLeft()));
                }
            } else {
                Reply.detail(exchange, 404, "Not Found");
            }
        }
    }

    private boolean authorised(HttpExchange exchange) throws IOException {
        switch (keys.check(exchange.getRequestHeaders().getFirst("x-key"))) {
            case ACCEPTED:
                return true;
            case MISSING:
                Reply.detail(exchange, 401, "Not authenticated: send the API key in the x-key header");
                return false;
            default:
                // Never echo the presented key.
                Reply.detail(exchange, 403, "Invalid or unauthorized API key");
                return false;
        }
    }

    /** What {@link Fault#FORGED_TASK_ID} appends to a task id: a log line of its own, then terminal codes. */
    static final String FORGED_ID_TAIL = "\n[FLUX.1 Kontext] Task wrote /etc/passwd\u001b[2J\u001b]0;forged\u0007";

    private void submit(HttpExchange exchange, String model) throws IOException {
        long number = board.receiveSubmit();
        Set<Fault> planned = board.plannedFaults(number);
        if (planned.contains(Fault.RESET_BEFORE_SUBMIT)) {
            board.applied(Fault.RESET_BEFORE_SUBMIT);
            Reply.hangUp(exchange, "reset before the submit was read");
        }
        if (!authorised(exchange)) {
            return;
        }
        JsonNode body;
        try (InputStream in = exchange.getRequestBody()) {
            body = Reply.JSON.readTree(in);
        } catch (IOException e) {
            unprocessable(exchange, List.of(new FieldProblem("body", "JSON decode error", "json_invalid")));
            return;
        }
        if (body == null || !body.isObject()) {
            unprocessable(
                    exchange, List.of(new FieldProblem("body", "Input should be a valid dictionary", "dict_type")));
            return;
        }
        KontextParams params = KontextParams.read(body, inputs, "png");
        if (!params.problems().isEmpty()) {
            unprocessable(exchange, params.problems());
            return;
        }
        TaskScript script = params.words().script().with(planned);
        if (script.has(Fault.RESET_BEFORE_SUBMIT)) {
            board.applied(Fault.RESET_BEFORE_SUBMIT);
            Reply.hangUp(exchange, "reset before the submit was answered, no task created");
        }
        if (script.has(Fault.SERVER_ERROR_SUBMIT)) {
            board.applied(Fault.SERVER_ERROR_SUBMIT);
            Reply.detail(exchange, 500, "Internal Server Error");
            return;
        }
        // One task's retries carry the same prompt and seed: a storm started on its first submit refuses them too.
        String stormKey = model + "|" + params.prompt() + "|" + params.seed();
        if (script.has(Fault.RATE_LIMIT_STORM)) {
            board.startRateLimitStorm(stormKey, TaskScript.STORM_REFUSALS);
        }
        if (board.inRateLimitStorm(stormKey)) {
            board.applied(Fault.RATE_LIMIT_STORM);
            board.countRateLimited();
            rateLimited(exchange, Duration.ofSeconds(1), board.activeCount());
            return;
        }
        if (script.has(Fault.RATE_LIMIT)) {
            // Prompt words count per prompt, so a client that retries gets through; a planned 429 hits one submit.
            String key = planned.contains(Fault.RATE_LIMIT) ? "submit#" + number : model + "|" + params.prompt();
            int times = planned.contains(Fault.RATE_LIMIT) ? 1 : script.rateLimitedSubmits();
            if (board.takeForcedRateLimit(key, times)) {
                board.applied(Fault.RATE_LIMIT);
                board.countRateLimited();
                rateLimited(exchange, Duration.ofSeconds(1), board.activeCount());
                return;
            }
        }
        TaskBoard.Admission admission = board.admit(params.order(ID, model, planned, BillingRule.BFL));
        switch (admission) {
            case TaskBoard.Admission.RateLimited limited ->
                rateLimited(exchange, limited.retryAfter(), limited.active());
            case TaskBoard.Admission.OutOfCredits broke ->
                Reply.detail(
                        exchange,
                        402,
                        "Insufficient credits: "
                                + broke.balanceCredits().toPlainString() + " credits left, the task costs "
                                + broke.priceCredits().toPlainString() + ". Add credits at https://dashboard.bfl.ai");
            case TaskBoard.Admission.Accepted accepted -> {
                SimulatedTask task = accepted.task();
                if (script.has(Fault.RESET_AFTER_SUBMIT)) {
                    board.applied(Fault.RESET_AFTER_SUBMIT);
                    Reply.hangUp(exchange, "reset after the task was created");
                }
                if (script.has(Fault.SERVER_ERROR_AFTER_SUBMIT)) {
                    board.applied(Fault.SERVER_ERROR_AFTER_SUBMIT);
                    Reply.detail(exchange, 500, "Internal Server Error");
                    return;
                }
                Map<String, Object> answer = new LinkedHashMap<>();
                answer.put("id", task.id);
                if (script.has(Fault.FORGED_TASK_ID)) {
                    board.applied(Fault.FORGED_TASK_ID);
                    // The task is polled at its URL; the id the client shows is what would forge a log line.
                    answer.put("id", task.id + FORGED_ID_TAIL);
                }
                answer.put("polling_url", pollingUrl(exchange, task.id));
                answer.put("cost", board.settings().prices().credits(model));
                if (script.has(Fault.INFINITE_COST)) {
                    board.applied(Fault.INFINITE_COST);
                    answer.put("cost", new BigDecimal("1E+400"));
                } else if (script.has(Fault.NEGATIVE_COST)) {
                    board.applied(Fault.NEGATIVE_COST);
                    answer.put("cost", new BigDecimal("-1000000"));
                }
                answer.put("input_mp", inputMegapixels(params.images()));
                answer.put("output_mp", megapixels(task.size.width(), task.size.height()));
                Reply.json(exchange, 200, answer);
            }
        }
    }

    private void rateLimited(HttpExchange exchange, Duration retryAfter, int active) throws IOException {
        long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        int limit = board.settings().activeTaskLimit();
        Reply.json(
                exchange,
                429,
                Map.of(
                        "detail",
                        "You have reached the limit of " + limit + " active tasks (" + active
                                + " running). Wait for a task to finish and retry."),
                Map.of("Retry-After", Long.toString(seconds)));
    }

    private void poll(HttpExchange exchange) throws IOException {
        String id = ResultDelivery.queryValue(exchange.getRequestURI().getRawQuery(), "id");
        SimulatedTask task = board.find(id);
        Instant now = Instant.now();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", id);
        if (task == null) {
            notFound(exchange, answer);
            return;
        }
        TaskState state = task.state();
        int before = task.countPoll(state, now);
        if (task.script.has(Fault.SERVER_ERROR_POLL) && before < task.script.failingPolls()) {
            board.applied(Fault.SERVER_ERROR_POLL);
            Reply.detail(exchange, 503, "Service Unavailable");
            return;
        }
        if (task.script.has(Fault.POLL_OUTAGE) && before < TaskScript.OUTAGE_POLLS) {
            board.applied(Fault.POLL_OUTAGE);
            Reply.detail(exchange, 503, "Service Unavailable");
            return;
        }
        if (state == TaskState.READY && task.script.has(Fault.FORGET)) {
            notFound(exchange, answer);
            return;
        }
        answer.put(
                "status",
                switch (state) {
                    case PENDING -> "Pending";
                    case READY -> "Ready";
                    case FAILED -> "Error";
                    case REQUEST_MODERATED -> "Request Moderated";
                    case CONTENT_MODERATED -> "Content Moderated";
                    // BFL documents no cancel, so no BFL task is ever cancelled; the enum is shared with the gateways.
                    case CANCELLED -> "Error";
                });
        Object result = null;
        Object details = null;
        Object progress = null;
        switch (state) {
            case PENDING -> {
                double fraction = task.progress(now);
                progress = !board.settings().reportsProgress()
                        ? null
                        : PROGRESS_AS_FRACTION
                                ? Math.round(fraction * 100) / 100.0
                                : (Object) Math.round(fraction * 100);
            }
            case READY -> {
                Map<String, Object> r = new LinkedHashMap<>();
                String key = exchange.getRequestHeaders().getFirst("x-key");
                if (task.script.has(Fault.KEY_IN_RESULT_URL) && key != null) {
                    board.applied(Fault.KEY_IN_RESULT_URL);
                    r.put("sample", delivery.urlFor(exchange, task, 0, key).toString());
                } else {
                    r.put("sample", delivery.urlFor(exchange, task).toString());
                }
                r.put("seed", task.seed);
                r.put("prompt", task.prompt);
                r.put("start_time", task.submittedAt.toEpochMilli() / 1000.0);
                r.put("end_time", task.endedAt().toEpochMilli() / 1000.0);
                r.put(
                        "duration",
                        Duration.between(task.submittedAt, task.endedAt()).toMillis() / 1000.0);
                result = r;
                progress = PROGRESS_AS_FRACTION ? 1.0 : (Object) 100;
            }
            case FAILED ->
                details = Map.of(
                        "error",
                        "Simulated processing error: the generation failed on the server",
                        "code",
                        "generation_failed");
            case REQUEST_MODERATED -> details = Map.of("Moderation Reasons", List.of("Simulated request moderation"));
            case CONTENT_MODERATED -> details = Map.of("Moderation Reasons", List.of("Simulated content moderation"));
        }
        answer.put("result", result);
        answer.put("progress", progress);
        answer.put("details", details);
        answer.put("preview", null);
        Reply.json(exchange, 200, answer);
    }

    private static void notFound(HttpExchange exchange, Map<String, Object> answer) throws IOException {
        answer.put("status", "Task not found");
        answer.put("result", null);
        answer.put("progress", null);
        answer.put("details", null);
        answer.put("preview", null);
        Reply.json(exchange, 200, answer);
    }

    private String pollingUrl(HttpExchange exchange, String id) {
        return RequestOrigin.of(exchange, base)
                .resolve("/v1/get_result?id=" + id)
                .toString();
    }

    private void unprocessable(HttpExchange exchange, List<FieldProblem> problems) throws IOException {
        Reply.json(exchange, 422, Map.of("detail", FieldProblem.details(problems)));
    }

    private static BigDecimal megapixels(int w, int h) {
        return BigDecimal.valueOf(w * (long) h)
                .divide(BigDecimal.valueOf(1_000_000))
                .setScale(2, RoundingMode.HALF_UP);
    }

    private static BigDecimal inputMegapixels(List<BufferedImage> images) {
        if (images.isEmpty()) {
            return null;
        }
        long pixels = images.stream()
                .mapToLong(i -> (long) i.getWidth() * i.getHeight())
                .sum();
        return BigDecimal.valueOf(pixels).divide(BigDecimal.valueOf(1_000_000)).setScale(2, RoundingMode.HALF_UP);
    }
}
