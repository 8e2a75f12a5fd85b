package io.jenkins.plugins.fluxkontext.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Vtrix as doc.vtrix.ai (flux-kontext-max) and its command line document it, under {@code /vtrix}:
 * {@code Authorization: Bearer}; {@code POST /model/v1/generation} with
 * {@code {"model":"flux_kontext_max","input":[{"params":{…}}]}} (BFL's parameters; a flat body is refused, its
 * acceptance being UNCONFIRMED) answering the task object; {@code GET /model/v1/generation/task/{id}} with
 * {@code pending}, {@code in_progress} (progress 0.0 to 1.0), {@code completed} (images at
 * {@code output[].content[].url}, cost at {@code usage.cost} in US dollars as a string) and {@code failed}
 * ({@code error{code,message}}). How Vtrix shows moderation is UNCONFIRMED: here it is {@code failed} with the code
 * {@code content_moderation}. Insufficient balance answers 403, as Vtrix's command line expects.
 */
final class VtrixDialect extends GatewayDialect {

    static final String ID = "vtrix";
    /** Vtrix's model ids use underscores; the ledger uses BFL's names. */
    static final Map<String, String> MODELS =
            Map.of("flux_kontext_max", "flux-kontext-max", "flux_kontext_pro", "flux-kontext-pro");

    static final double PENDING_SHARE = 0.2;
    /** Vtrix's example code for "generation failed", from its flux-kontext-max page. */
    static final String GENERATION_FAILED = "002014001";
    /** UNCONFIRMED: Vtrix documents no moderation code. */
    static final String MODERATED = "content_moderation";

    VtrixDialect(TaskBoard board, ResultDelivery delivery, ApiKeys keys, URI root) {
        super(ID, "Bearer", board, delivery, keys, root);
    }

    @Override
    int outOfCreditsStatus() {
        return 403;
    }

    @Override
    void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        Reply.json(exchange, status, Map.of("error", object("code", code, "message", message)));
    }

    @Override
    void route(HttpExchange exchange, String method, String path) throws IOException {
        if (path.equals("/model/v1/generation") && method.equals("POST")) {
            submit(exchange);
        } else if (path.startsWith("/model/v1/generation/task/") && method.equals("GET")) {
            if (authorised(exchange)) {
                poll(exchange, path.substring("/model/v1/generation/task/".length()));
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
        String model = MODELS.get(body.path("model").asText(""));
        if (model == null) {
            error(exchange, 400, "invalid_model", "model must be flux_kontext_max or flux_kontext_pro");
            return;
        }
        JsonNode params = body.path("input").path(0).path("params");
        if (!params.isObject()) {
            error(
                    exchange,
                    400,
                    "invalid_params",
                    "input[0].params is required: {\"model\",\"input\":[{\"params\":{…}}]}");
            return;
        }
        KontextParams kontext = KontextParams.read(params, inputs, "jpeg");
        if (!kontext.problems().isEmpty()) {
            error(exchange, 400, "invalid_params", FieldProblem.lines(kontext.problems()));
            return;
        }
        SimulatedTask task = admit(exchange, arrival, kontext.order(ID, model, arrival.planned(), BillingRule.VTRIX));
        if (task != null) {
            Reply.json(exchange, 200, taskObject(exchange, task, Instant.now()));
        }
    }

    private void poll(HttpExchange exchange, String id) throws IOException {
        Instant now = Instant.now();
        SimulatedTask task =
                describable(exchange, ownTask(id), now, e -> error(e, 404, "task_not_found", "task not found"));
        if (task == null) {
            return;
        }
        Reply.json(exchange, 200, taskObject(exchange, task, now));
    }

    private Map<String, Object> taskObject(HttpExchange exchange, SimulatedTask task, Instant now) {
        String vtrixModel = task.model.replace('-', '_');
        Map<String, Object> answer =
                object("id", task.id, "model", vtrixModel, "created_at", task.submittedAt.getEpochSecond());
        List<Object> output = List.of();
        Object error = null;
        switch (task.state()) {
            case PENDING -> {
                boolean pending = task.elapsedShare(now) < PENDING_SHARE;
                answer.put("status", pending ? "pending" : "in_progress");
                answer.put(
                        "progress",
                        pending || !board.settings().reportsProgress()
                                ? 0.0
                                : Math.round(task.progress(now) * 100) / 100.0);
            }
            case READY -> {
                answer.put("status", "completed");
                answer.put("progress", 1.0);
                output = List.of(Map.of(
                        "content",
                        List.of(object(
                                "type",
                                "image",
                                "url",
                                delivery.urlFor(exchange, task).toString()))));
            }
            case REQUEST_MODERATED -> {
                answer.put("status", "failed");
                error = object("code", MODERATED, "message", "The input was rejected by content moderation");
            }
            case CONTENT_MODERATED -> {
                answer.put("status", "failed");
                error = object("code", MODERATED, "message", "The generated image was rejected by content moderation");
            }
            default -> {
                answer.put("status", "failed");
                error = object("code", GENERATION_FAILED, "message", "generation failed");
            }
        }
        answer.put("output", output);
        BigDecimal price = board.settings().prices().usd(task.model);
        // The quoted price while running; what was charged once ended (nothing for a failure, BillingRule.VTRIX).
        BigDecimal cost = task.state().ended() && !task.billing.bills(task.state()) ? BigDecimal.ZERO : price;
        answer.put(
                "usage",
                object(
                        "cost",
                        cost.toPlainString(),
                        "discount",
                        "0",
                        "quantity",
                        1,
                        "unit_price",
                        price.toPlainString()));
        answer.put("error", error);
        answer.put("metadata", Map.of());
        return answer;
    }
}
