package io.jenkins.plugins.fluxkontext.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * fal's queue API as docs.fal.ai (model-endpoints/queue) documents it, under {@code /fal}: {@code Authorization: Key};
 * {@code POST /fal-ai/flux-pro/kontext/max[/text-to-image|/multi]} with the model input ({@link FalKontext}),
 * answering {@code {request_id, response_url, status_url, cancel_url, status: IN_QUEUE}}; the status URL answers
 * {@code IN_QUEUE} and {@code IN_PROGRESS} with HTTP 202 and {@code COMPLETED} with 200, and its {@code /stream}
 * streams the same documents as server-sent events until COMPLETED; the response URL holds the
 * output ({@code images[].url}, {@code has_nsfw_concepts}) or the model's error (status code, {@code detail},
 * {@code X-Fal-Error-Type}); {@code PUT} the cancel URL cancels a request that has not started processing. Status,
 * response and cancel URLs name only owner/app ({@code fal-ai/flux-pro}), not the endpoint's sub-path.
 *
 * <p>UNCONFIRMED and chosen here: a request refused by moderation is COMPLETED with an HTTP 422 error of type
 * {@code content_policy_violation} at the response URL (only third-party pages describe it); a failed generation is
 * HTTP 500 {@code runner_server_error}; a cancelled request's result is HTTP 400 {@code client_cancelled}; the cancel
 * answers 202 {@code CANCELLATION_REQUESTED}, or 400 {@code ALREADY_COMPLETED} once processing has started.
 */
final class FalDialect extends GatewayDialect {

    static final String ID = "fal";
    static final String OWNER = "/fal-ai/";
    /** Status, response and cancel URLs use owner/app only, as fal's queue documentation says. */
    static final String REQUESTS = "/fal-ai/flux-pro/requests/";
    /** The share of a task's latency it spends IN_QUEUE, the only time it can be cancelled. */
    static final double QUEUED_SHARE = 0.25;

    FalDialect(TaskBoard board, ResultDelivery delivery, ApiKeys keys, URI root) {
        super(ID, "Key", board, delivery, keys, root);
    }

    @Override
    int outOfCreditsStatus() {
        return 403;
    }

    /** Request errors: {@code {"detail": str, "error_type": str}} with {@code X-Fal-Error-Type}. */
    @Override
    void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        exchange.getResponseHeaders().set("X-Fal-Error-Type", code);
        Reply.json(exchange, status, object("detail", message, "error_type", code));
    }

    @Override
    void route(HttpExchange exchange, String method, String path) throws IOException {
        if (path.startsWith(REQUESTS)) {
            String rest = path.substring(REQUESTS.length());
            String[] parts = rest.split("/");
            if (!authorised(exchange)) {
                return;
            }
            SimulatedTask task = ownTask(parts[0]);
            if (task == null) {
                error(exchange, 404, "request_not_found", "Request not found");
            } else if (parts.length == 2 && parts[1].equals("status") && method.equals("GET")) {
                status(exchange, task);
            } else if (parts.length == 3
                    && parts[1].equals("status")
                    && parts[2].equals("stream")
                    && method.equals("GET")) {
                statusStream(exchange, task);
            } else if (parts.length == 2 && parts[1].equals("cancel") && method.equals("PUT")) {
                cancel(exchange, task);
            } else if (parts.length == 1 && method.equals("GET")) {
                result(exchange, task);
            } else {
                error(exchange, 405, "method_not_allowed", "Method Not Allowed");
            }
        } else if (path.startsWith(OWNER) && method.equals("POST")) {
            FalKontext.Endpoint endpoint = FalKontext.ENDPOINTS.get(path.substring(OWNER.length()));
            if (endpoint == null) {
                error(exchange, 404, "not_found", "Application not found");
            } else {
                submit(exchange, endpoint);
            }
        } else {
            error(exchange, 404, "not_found", "Not Found");
        }
    }

    private void submit(HttpExchange exchange, FalKontext.Endpoint endpoint) throws IOException {
        Arrival arrival = arrive(exchange, 422);
        if (arrival == null) {
            return;
        }
        JsonNode body = arrival.body();
        FalKontext.Input input = FalKontext.read(body, endpoint, inputs);
        if (!input.problems().isEmpty()) {
            Reply.json(exchange, 422, Map.of("detail", FieldProblem.details(input.problems())));
            return;
        }
        SimulatedTask task = admit(exchange, arrival, input.order(ID, endpoint, arrival.planned(), BillingRule.FAL));
        if (task != null) {
            Reply.json(
                    exchange,
                    200,
                    object(
                            "request_id",
                            task.id,
                            "response_url",
                            url(exchange, REQUESTS + task.id),
                            "status_url",
                            url(exchange, REQUESTS + task.id + "/status"),
                            "cancel_url",
                            url(exchange, REQUESTS + task.id + "/cancel"),
                            "status",
                            "IN_QUEUE",
                            "queue_position",
                            0));
        }
    }

    private void status(HttpExchange exchange, SimulatedTask task) throws IOException {
        Instant now = Instant.now();
        if (describable(exchange, task, now, e -> error(e, 404, "request_not_found", "Request not found")) == null) {
            return;
        }
        Reply.json(exchange, task.state().ended() ? 200 : 202, statusDocument(exchange, task, now));
    }

    /** The status document: IN_QUEUE (with its position), IN_PROGRESS, or COMPLETED with its metrics. */
    private Map<String, Object> statusDocument(HttpExchange exchange, SimulatedTask task, Instant now) {
        if (!task.state().ended()) {
            boolean queued = inQueue(task, now);
            Map<String, Object> answer = object("status", queued ? "IN_QUEUE" : "IN_PROGRESS");
            if (queued) {
                answer.put("queue_position", 0);
            }
            answer.put("response_url", url(exchange, REQUESTS + task.id));
            answer.put("logs", null);
            return answer;
        }
        return object(
                "status",
                "COMPLETED",
                "response_url",
                url(exchange, REQUESTS + task.id),
                "logs",
                null,
                "metrics",
                Map.of("inference_time", task.latency.toMillis() / 1000.0));
    }

    /**
     * {@code GET …/status/stream}: "Streams the status of a request until it's completed" (docs.fal.ai, queue): one
     * server-sent event ({@code data: {status document}}) at once, one when the request starts processing, and the
     * last, COMPLETED, the moment it ends; then the stream closes. The first {@code 5xx-poll} requests of a task answer
     * 503 here too.
     */
    private void statusStream(HttpExchange exchange, SimulatedTask task) throws IOException {
        int before = task.countStream();
        if (task.script.has(Fault.SERVER_ERROR_POLL) && before < task.script.failingPolls()) {
            board.applied(id(), Fault.SERVER_ERROR_POLL);
            error(exchange, 503, "service_unavailable", "Service Unavailable");
            return;
        }
        if (forgotten(task)) {
            error(exchange, 404, "request_not_found", "Request not found");
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            String sent = null;
            while (true) {
                Instant now = Instant.now();
                Map<String, Object> document = statusDocument(exchange, task, now);
                String status = (String) document.get("status");
                if (!status.equals(sent)) {
                    out.write(("data: " + Reply.JSON.writeValueAsString(document) + "\n\n")
                            .getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    sent = status;
                    if (status.equals("COMPLETED")) {
                        task.toldEnded(Instant.now());
                        return;
                    }
                }
                // Wake at the end, or where the request leaves the queue.
                long untilStart = inQueue(task, now)
                        ? Math.max(
                                1,
                                (long) (task.latency.toMillis() * QUEUED_SHARE)
                                        - Duration.between(task.submittedAt, now)
                                                .toMillis())
                        : Long.MAX_VALUE / 2;
                try {
                    task.ending().get(Math.min(untilStart, 60_000), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    // Time to tell whether it left the queue (or, on a very long task, to say so again).
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (ExecutionException e) {
                    return;
                }
            }
        }
    }

    private void result(HttpExchange exchange, SimulatedTask task) throws IOException {
        task.countResultFetch();
        if (forgotten(task)) {
            error(exchange, 404, "request_not_found", "Request not found");
            return;
        }
        switch (task.state()) {
            case PENDING -> error(exchange, 400, "request_in_progress", "Request is still in progress");
            case READY, CONTENT_MODERATED -> Reply.json(exchange, 200, FalKontext.output(exchange, task, delivery));
            case REQUEST_MODERATED -> {
                exchange.getResponseHeaders().set("X-Fal-Retryable", "false");
                Reply.json(
                        exchange,
                        422,
                        Map.of(
                                "detail",
                                List.of(object(
                                        "loc",
                                        List.of("body", "prompt"),
                                        "msg",
                                        "The content could not be processed because it was flagged by a content checker.",
                                        "type",
                                        "content_policy_violation"))));
            }
            case CANCELLED -> error(exchange, 400, "client_cancelled", "The request was cancelled");
            case FAILED -> error(exchange, 500, "runner_server_error", "Simulated model error: the generation failed");
        }
    }

    private void cancel(HttpExchange exchange, SimulatedTask task) throws IOException {
        if (board.cancel(task, t -> inQueue(t, Instant.now()))) {
            Reply.json(exchange, 202, Map.of("status", "CANCELLATION_REQUESTED"));
        } else {
            Reply.json(exchange, 400, Map.of("status", "ALREADY_COMPLETED"));
        }
    }

    private static boolean inQueue(SimulatedTask task, Instant now) {
        return !task.state().ended() && task.elapsedShare(now) < QUEUED_SHARE;
    }
}
