package io.jenkins.plugins.fluxkontext.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runflow's runs API as docs.runflow.io (concepts/runs) documents it, under {@code /runflow}:
 * {@code Authorization: Bearer}; {@code POST /v1/models/{model_id}/runs} with {@code {"input":{…}}} answering at once
 * with {@code id} and {@code status_code: "queued"}; {@code GET /v1/runs/{id}} until {@code status_code} is terminal:
 * {@code queued}, {@code dispatching}, {@code running}, then {@code succeeded}, {@code failed}
 * ({@code failure_message}) or {@code cancelled}. Errors are {@code {"code","message","errors":[…]}}. The input is
 * fal's ({@link FalKontext}).
 *
 * <p>UNCONFIRMED and chosen here: model ids for [max] and the text-to-image and multi variants follow fal's endpoint
 * names under {@code black-forest-labs/} (only {@code black-forest-labs/flux-pro/kontext} is confirmed); output
 * moderation shows as {@code nsfw_detected: true}, request moderation as {@code failed} with a content-policy
 * {@code failure_message}. No cancel endpoint is documented, so
 * none is simulated.
 */
final class RunflowDialect extends GatewayDialect {

    static final String ID = "runflow";
    static final String OWNER = "black-forest-labs/";
    static final double QUEUED_SHARE = 0.1;
    static final double DISPATCHING_SHARE = 0.2;

    RunflowDialect(TaskBoard board, ResultDelivery delivery, ApiKeys keys, URI root) {
        super(ID, "Bearer", board, delivery, keys, root);
    }

    @Override
    void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        Reply.json(exchange, status, object("code", code, "message", message, "errors", List.of()));
    }

    @Override
    void route(HttpExchange exchange, String method, String path) throws IOException {
        if (path.startsWith("/v1/models/") && path.endsWith("/runs") && method.equals("POST")) {
            String modelId = path.substring("/v1/models/".length(), path.length() - "/runs".length());
            FalKontext.Endpoint endpoint =
                    modelId.startsWith(OWNER) ? FalKontext.ENDPOINTS.get(modelId.substring(OWNER.length())) : null;
            if (endpoint == null) {
                error(exchange, 404, "model_not_found", "Model " + modelId + " not found");
            } else {
                submit(exchange, modelId, endpoint);
            }
        } else if (path.startsWith("/v1/runs/") && method.equals("GET")) {
            if (authorised(exchange)) {
                poll(exchange, path.substring("/v1/runs/".length()));
            }
        } else {
            error(exchange, 404, "not_found", "Not Found");
        }
    }

    private void submit(HttpExchange exchange, String modelId, FalKontext.Endpoint endpoint) throws IOException {
        Arrival arrival = arrive(exchange, 400);
        if (arrival == null) {
            return;
        }
        JsonNode body = arrival.body();
        if (!body.path("input").isObject()) {
            error(exchange, 422, "validation_error", "input is required: {\"input\":{…}}");
            return;
        }
        FalKontext.Input input = FalKontext.read(body.path("input"), endpoint, inputs);
        if (!input.problems().isEmpty()) {
            Reply.json(
                    exchange,
                    422,
                    object(
                            "code",
                            "validation_error",
                            "message",
                            "The input is invalid",
                            "errors",
                            input.problems().stream()
                                    .map(p -> object("field", "input." + p.field(), "message", p.msg()))
                                    .toList()));
            return;
        }
        SimulatedTask task =
                admit(exchange, arrival, input.order(ID, endpoint, arrival.planned(), BillingRule.RUNFLOW));
        if (task != null) {
            Reply.json(
                    exchange,
                    200,
                    object(
                            "id",
                            task.id,
                            "model_id",
                            modelId,
                            "status_code",
                            "queued",
                            "created_at",
                            task.submittedAt.toString(),
                            "metadata",
                            body.path("metadata").isObject() ? body.get("metadata") : Map.of()));
        }
    }

    /**
     * Runflow's normalized output of a succeeded run: {@code outputs[]} (each with {@code url}), {@code seed},
     * {@code timing} and {@code nsfw_detected}, whatever model ran (docs.runflow.io, concepts/runs).
     */
    private Map<String, Object> normalizedOutput(HttpExchange exchange, SimulatedTask task) {
        List<Object> outputs = new ArrayList<>();
        for (int i = 0; i < task.imageCount; i++) {
            outputs.add(object(
                    "url",
                    delivery.urlFor(exchange, task, i).toString(),
                    "content_type",
                    task.format.equals("png") ? "image/png" : "image/jpeg",
                    "width",
                    task.size.width(),
                    "height",
                    task.size.height()));
        }
        return object(
                "outputs",
                outputs,
                "seed",
                task.seed,
                "timing",
                object("inference_ms", task.latency.toMillis()),
                "nsfw_detected",
                task.state() == TaskState.CONTENT_MODERATED);
    }

    private void poll(HttpExchange exchange, String id) throws IOException {
        Instant now = Instant.now();
        SimulatedTask task = describable(exchange, ownTask(id), now, e -> error(e, 404, "not_found", "Run not found"));
        if (task == null) {
            return;
        }
        Map<String, Object> run = object("id", task.id, "created_at", task.submittedAt.toString());
        Object output = null;
        String failure = null;
        String status =
                switch (task.state()) {
                    case PENDING -> {
                        double share = task.elapsedShare(now);
                        yield share < QUEUED_SHARE ? "queued" : share < DISPATCHING_SHARE ? "dispatching" : "running";
                    }
                    case READY, CONTENT_MODERATED -> {
                        output = normalizedOutput(exchange, task);
                        yield "succeeded";
                    }
                    case REQUEST_MODERATED -> {
                        failure = "Content policy violation: the prompt or input image was flagged";
                        yield "failed";
                    }
                    case CANCELLED -> "canceled";
                    case FAILED -> {
                        failure = "Simulated model error: the generation failed";
                        yield "failed";
                    }
                };
        run.put("status_code", status);
        run.put("output", output);
        run.put("failure_message", failure);
        run.put("error", failure == null ? null : object("code", "generation_failed", "message", failure));
        run.put("completed_at", task.state().ended() ? task.endedAt().toString() : null);
        Reply.json(exchange, 200, run);
    }
}
