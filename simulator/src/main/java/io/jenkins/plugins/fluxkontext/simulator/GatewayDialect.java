package io.jenkins.plugins.fluxkontext.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What every gateway dialect shares: it lives under its own path prefix ({@code /toapis}, {@code /fal}, …; BFL keeps
 * the root), checks its auth header, and runs a submit through the same steps as BFL (the fault plan, the prompt
 * words, the 429/5xx/reset faults, the account's limit and credits). A subclass says what its paths, bodies,
 * statuses and error bodies look like, written from the providers' documentation and not from core's dialects.
 */
abstract class GatewayDialect implements SimulatedDialect {

    final TaskBoard board;
    final ResultDelivery delivery;
    final InputImageReader inputs = new InputImageReader();
    private final String id;
    private final String authScheme;
    private final ApiKeys keys;
    private final URI root;

    /** {@code authScheme} is the scheme of {@code Authorization}: {@code Bearer} or {@code Key}. */
    GatewayDialect(String id, String authScheme, TaskBoard board, ResultDelivery delivery, ApiKeys keys, URI root) {
        this.id = id;
        this.authScheme = authScheme;
        this.board = board;
        this.delivery = delivery;
        this.keys = keys;
        this.root = root;
    }

    @Override
    public final String id() {
        return id;
    }

    /** The path prefix the dialect is mounted under: {@code /} + its id. */
    final String mount() {
        return "/" + id();
    }

    @Override
    public final List<String> pathPrefixes() {
        return List.of(mount() + "/");
    }

    /** The base URL a client configures for this dialect: {@code http://127.0.0.1:PORT/ID}. */
    final URI base() {
        return URI.create(root + mount());
    }

    /** An absolute URL under this dialect's mount, at the origin {@code exchange} reached us at. */
    final String url(HttpExchange exchange, String path) {
        return root(exchange) + mount() + path;
    }

    /**
     * The simulator's root as {@code exchange} reached it, for URLs that point outside this dialect (CometAPI's
     * upstream polling_url).
     */
    final URI root(HttpExchange exchange) {
        return RequestOrigin.of(exchange, root);
    }

    final String authScheme() {
        return authScheme;
    }

    /** Says an error the way this provider does. */
    abstract void error(HttpExchange exchange, int status, String code, String message) throws IOException;

    /** Routes a request; {@code path} is the part after the mount, e.g. {@code /v1/images/generations}. */
    abstract void route(HttpExchange exchange, String method, String path) throws IOException;

    /** The status this provider answers when the account cannot pay. */
    int outOfCreditsStatus() {
        return 402;
    }

    @Override
    public final void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath().substring(mount().length());
            route(exchange, exchange.getRequestMethod(), path);
        }
    }

    /**
     * Whether the request carries {@code Authorization: SCHEME KEY} with an accepted key. A missing header, another
     * scheme (a fal {@code Key} sent to a {@code Bearer} provider, a BFL {@code x-key} alone) or an unknown key
     * answers 401; the presented key is never echoed.
     */
    final boolean authorised(HttpExchange exchange) throws IOException {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        String prefix = authScheme() + " ";
        if (header == null || header.isBlank()) {
            error(
                    exchange,
                    401,
                    "authentication_error",
                    "Authentication failed: send the API key as Authorization: " + authScheme() + " KEY");
            return false;
        }
        if (!header.regionMatches(true, 0, prefix, 0, prefix.length())) {
            error(
                    exchange,
                    401,
                    "authentication_error",
                    "Authentication failed: this API takes Authorization: " + authScheme()
                            + " KEY, not another scheme");
            return false;
        }
        if (keys.check(header.substring(prefix.length())) != ApiKeys.Verdict.ACCEPTED) {
            error(exchange, 401, "authentication_error", "Authentication failed: invalid API key");
            return false;
        }
        return true;
    }

    /** A submit as it arrives: its number (for the fault plan), the plan's faults, and its JSON body. */
    record Arrival(long number, Set<Fault> planned, JsonNode body) {}

    /**
     * Counts a submit and applies a planned reset before anything is read; then checks the auth header and reads the
     * body. Returns {@code null} once it has answered: a reset, a refused key, or a body that is not a JSON object
     * (answered {@code badBodyStatus}, 400 or 422 as the provider does).
     */
    final Arrival arrive(HttpExchange exchange, int badBodyStatus) throws IOException {
        long number = board.receiveSubmit(id());
        Set<Fault> planned = board.plannedFaults(number);
        if (planned.contains(Fault.RESET_BEFORE_SUBMIT)) {
            board.applied(id(), Fault.RESET_BEFORE_SUBMIT);
            Reply.hangUp(exchange, "reset before the submit was read");
        }
        if (!authorised(exchange)) {
            return null;
        }
        JsonNode body;
        try (InputStream in = exchange.getRequestBody()) {
            body = Reply.JSON.readTree(in);
        } catch (IOException e) {
            error(exchange, badBodyStatus, "invalid_json", "The body is not valid JSON");
            return null;
        }
        if (body == null || !body.isObject()) {
            error(exchange, badBodyStatus, "invalid_json", "The body must be a JSON object");
            return null;
        }
        return new Arrival(number, planned, body);
    }

    /** The prompt's simulator words, or {@code null} when a word is unknown (the caller reports it). */
    static PromptWords words(String prompt) {
        try {
            return PromptWords.parse(prompt);
        } catch (PromptWords.UnknownWordException e) {
            return null;
        }
    }

    static String unknownWordMessage(String prompt) {
        try {
            PromptWords.parse(prompt);
            return null;
        } catch (PromptWords.UnknownWordException e) {
            return e.getMessage();
        }
    }

    /**
     * The submit's faults and the account's decision, the same for every provider: answers (and returns
     * {@code null}) for a reset, a 500 before or after the task is created, a forced or real 429, or missing
     * credits; otherwise returns the new task for the dialect to describe.
     */
    final SimulatedTask admit(HttpExchange exchange, Arrival arrival, TaskBoard.Order order) throws IOException {
        TaskScript script = order.script();
        if (script.has(Fault.RESET_BEFORE_SUBMIT)) {
            board.applied(id(), Fault.RESET_BEFORE_SUBMIT);
            Reply.hangUp(exchange, "reset before the submit was answered, no task created");
        }
        if (script.has(Fault.SERVER_ERROR_SUBMIT)) {
            board.applied(id(), Fault.SERVER_ERROR_SUBMIT);
            error(exchange, 500, "internal_error", "Internal Server Error");
            return null;
        }
        if (script.has(Fault.RATE_LIMIT)) {
            String key = arrival.planned().contains(Fault.RATE_LIMIT)
                    ? "submit#" + arrival.number()
                    : id() + "|" + order.model() + "|" + order.prompt();
            int times = arrival.planned().contains(Fault.RATE_LIMIT) ? 1 : script.rateLimitedSubmits();
            if (board.takeForcedRateLimit(key, times)) {
                board.applied(id(), Fault.RATE_LIMIT);
                board.countRateLimited(id());
                rateLimited(exchange, Duration.ofSeconds(1));
                return null;
            }
        }
        switch (board.admit(order)) {
            case TaskBoard.Admission.RateLimited limited -> {
                rateLimited(exchange, limited.retryAfter());
                return null;
            }
            case TaskBoard.Admission.OutOfCredits broke -> {
                error(
                        exchange,
                        outOfCreditsStatus(),
                        "insufficient_balance",
                        "Insufficient balance: the task costs $"
                                + broke.priceCredits()
                                        .multiply(PriceList.USD_PER_CREDIT)
                                        .stripTrailingZeros()
                                        .toPlainString()
                                + ", the account holds $"
                                + broke.balanceCredits()
                                        .multiply(PriceList.USD_PER_CREDIT)
                                        .stripTrailingZeros()
                                        .toPlainString());
                return null;
            }
            case TaskBoard.Admission.Accepted accepted -> {
                if (script.has(Fault.RESET_AFTER_SUBMIT)) {
                    board.applied(id(), Fault.RESET_AFTER_SUBMIT);
                    Reply.hangUp(exchange, "reset after the task was created");
                }
                if (script.has(Fault.SERVER_ERROR_AFTER_SUBMIT)) {
                    board.applied(id(), Fault.SERVER_ERROR_AFTER_SUBMIT);
                    error(exchange, 500, "internal_error", "Internal Server Error");
                    return null;
                }
                return accepted.task();
            }
        }
    }

    /** 429 with {@code Retry-After} in whole seconds. */
    void rateLimited(HttpExchange exchange, Duration retryAfter) throws IOException {
        long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        exchange.getResponseHeaders().set("Retry-After", Long.toString(seconds));
        error(
                exchange,
                429,
                "rate_limit_exceeded",
                "Too many active tasks (limit " + board.settings().activeTaskLimit() + "); retry after " + seconds
                        + " s");
    }

    /** A provider's own answer for a task it does not know, e.g. its 404 body. */
    @FunctionalInterface
    interface UnknownTaskAnswer {
        void send(HttpExchange exchange) throws IOException;
    }

    /**
     * The task a status request may describe, or {@code null} when the answer is already sent: the provider's
     * {@code unknown} answer for a task it never made or has forgotten ({@code forget}), or the 503 of a
     * {@code 5xx-poll} task. Every status request counts as a poll of the task.
     */
    final SimulatedTask describable(HttpExchange exchange, SimulatedTask task, Instant now, UnknownTaskAnswer unknown)
            throws IOException {
        if (task == null) {
            unknown.send(exchange);
            return null;
        }
        if (pollFault(exchange, task, now)) {
            return null;
        }
        if (forgotten(task)) {
            unknown.send(exchange);
            return null;
        }
        return task;
    }

    /**
     * Counts a status request for {@code task} and answers 503 for the first polls of a {@code 5xx-poll} task.
     * Returns whether it answered.
     */
    final boolean pollFault(HttpExchange exchange, SimulatedTask task, Instant now) throws IOException {
        int before = task.countPoll(task.state(), now);
        if (task.script.has(Fault.SERVER_ERROR_POLL) && before < task.script.failingPolls()) {
            board.applied(id(), Fault.SERVER_ERROR_POLL);
            error(exchange, 503, "service_unavailable", "Service Unavailable");
            return true;
        }
        return false;
    }

    /**
     * The task {@code taskId} if this dialect created it, else {@code null}: every provider's tasks share one board,
     * and a provider knows only its own.
     */
    final SimulatedTask ownTask(String taskId) {
        SimulatedTask task = board.find(taskId);
        return task == null || !task.dialect.equals(id()) ? null : task;
    }

    /** Whether a {@code forget} task is past its end: the provider no longer knows it. */
    static boolean forgotten(SimulatedTask task) {
        return task.state().ended() && task.script.has(Fault.FORGET);
    }

    /** A JSON object with the fields in the order given (Map.of has none). */
    static Map<String, Object> object(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
