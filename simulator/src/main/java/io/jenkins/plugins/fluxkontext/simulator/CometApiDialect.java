package io.jenkins.plugins.fluxkontext.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CometAPI's BFL-compatible route as apidoc.cometapi.com (FLUX generate and query) documents it, under
 * {@code /cometapi}: {@code Authorization: Bearer}; {@code POST /flux/v1/{model}} ({@code flux-kontext-max} or
 * {@code -pro}, the Kontext path by extension: UNCONFIRMED) with BFL's Kontext body, answering
 * {@code {"id","polling_url"}}; {@code GET /flux/v1/get_result?id=} answering in BFL's statuses ({@code Pending},
 * {@code Ready} with {@code result{seed,prompt,sample,duration,start_time,end_time}}, {@code Error}, and
 * {@code Task not found} for unknown or expired tasks). That the two moderation statuses pass through is UNCONFIRMED;
 * here they do.
 *
 * <p>The {@code polling_url} handed out is the upstream BFL one (this simulator's {@code /v1/get_result}), which does
 * not take CometAPI's Bearer key: CometAPI's own get_result is the documented way to poll until it is verified that
 * {@code polling_url} is a CometAPI URL, and a client that follows it anyway finds out here.
 */
final class CometApiDialect extends GatewayDialect {

    static final String ID = "cometapi";
    static final Set<String> MODELS = Set.of("flux-kontext-max", "flux-kontext-pro");

    CometApiDialect(TaskBoard board, ResultDelivery delivery, ApiKeys keys, URI root) {
        super(ID, "Bearer", board, delivery, keys, root);
    }

    /** UNCONFIRMED: CometAPI's error body; OpenAI's shape, as its OpenAI-compatible routes use. */
    @Override
    void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        Reply.json(exchange, status, Map.of("error", object("message", message, "type", code, "code", code)));
    }

    @Override
    void route(HttpExchange exchange, String method, String path) throws IOException {
        if (path.equals("/flux/v1/get_result") && method.equals("GET")) {
            if (authorised(exchange)) {
                poll(
                        exchange,
                        ResultDelivery.queryValue(exchange.getRequestURI().getRawQuery(), "id"));
            }
        } else if (path.startsWith("/flux/v1/") && method.equals("POST")) {
            String model = path.substring("/flux/v1/".length());
            if (!MODELS.contains(model)) {
                error(exchange, 404, "model_not_found", "Unknown model " + model);
            } else {
                submit(exchange, model);
            }
        } else {
            error(exchange, 404, "not_found", "Not Found");
        }
    }

    private void submit(HttpExchange exchange, String model) throws IOException {
        Arrival arrival = arrive(exchange, 422);
        if (arrival == null) {
            return;
        }
        JsonNode body = arrival.body();
        KontextParams kontext = KontextParams.read(body, inputs, "png");
        if (!kontext.problems().isEmpty()) {
            error(exchange, 422, "invalid_request", FieldProblem.lines(kontext.problems()));
            return;
        }
        SimulatedTask task =
                admit(exchange, arrival, kontext.order(ID, model, arrival.planned(), BillingRule.COMETAPI));
        if (task != null) {
            Reply.json(
                    exchange,
                    200,
                    object(
                            "id",
                            task.id,
                            "polling_url",
                            root(exchange)
                                    .resolve("/v1/get_result?id=" + task.id)
                                    .toString()));
        }
    }

    private void poll(HttpExchange exchange, String id) throws IOException {
        SimulatedTask task = ownTask(id);
        Map<String, Object> answer = object("id", id);
        if (task == null) {
            answer.put("status", "Task not found");
            answer.put("result", null);
            Reply.json(exchange, 200, answer);
            return;
        }
        Instant now = Instant.now();
        if (pollFault(exchange, task, now)) {
            return;
        }
        Object result = null;
        Object details = null;
        String status;
        if (forgotten(task)) {
            status = "Task not found";
        } else {
            switch (task.state()) {
                case PENDING -> status = "Pending";
                case READY -> {
                    status = "Ready";
                    result = object(
                            "seed",
                            task.seed,
                            "prompt",
                            task.prompt,
                            "sample",
                            delivery.urlFor(exchange, task).toString(),
                            "duration",
                            Duration.between(task.submittedAt, task.endedAt()).toMillis() / 1000.0,
                            "start_time",
                            task.submittedAt.toEpochMilli() / 1000.0,
                            "end_time",
                            task.endedAt().toEpochMilli() / 1000.0);
                }
                case REQUEST_MODERATED -> {
                    status = "Request Moderated";
                    details = Map.of("Moderation Reasons", List.of("Simulated request moderation"));
                }
                case CONTENT_MODERATED -> {
                    status = "Content Moderated";
                    details = Map.of("Moderation Reasons", List.of("Simulated content moderation"));
                }
                default -> {
                    status = "Error";
                    details = Map.of("error", "Simulated processing error: the generation failed upstream");
                }
            }
        }
        answer.put("status", status);
        answer.put("result", result);
        answer.put("details", details);
        Reply.json(exchange, 200, answer);
    }
}
