package io.jenkins.plugins.fluxkontext.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line against small servers that answer exactly as Runflow's and ToAPIs' documentation says, not as the
 * simulator does: what a user would see against the real APIs where our simulator and our dialects could share a
 * mistake.
 */
class DocumentedProvidersTest {

    private static final String KEY = "doc-key-61c2";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private HttpServer server;
    private String base;
    /** Every request the server received: method, path and the moment it arrived. */
    private final List<Arrival> arrivals = new CopyOnWriteArrayList<>();

    private record Arrival(String method, String path, long nanos) {}

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    /** Routes {@code prefix} to {@code handler}, noting each arrival and refusing any other key. */
    private void route(String prefix, Handler handler) {
        server.createContext(prefix, exchange -> {
            try (exchange) {
                arrivals.add(new Arrival(
                        exchange.getRequestMethod(), exchange.getRequestURI().getPath(), System.nanoTime()));
                if (!exchange.getRequestURI().getPath().startsWith("/files/")
                        && !("Bearer " + KEY)
                                .equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                    send(exchange, 401, "{\"error\":{\"code\":401,\"message\":\"Authentication failed\"}}");
                    return;
                }
                handler.handle(exchange);
            }
        });
    }

    @FunctionalInterface
    private interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    private static void send(HttpExchange exchange, int code, String json) throws IOException {
        send(exchange, code, json, Map.of());
    }

    private static void send(HttpExchange exchange, int code, String json, Map<String, String> headers)
            throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        exchange.sendResponseHeaders(code, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private void servePng(String path) {
        route(path, exchange -> {
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB), "png", png);
            exchange.getResponseHeaders().set("Content-Type", "image/png");
            exchange.sendResponseHeaders(200, png.size());
            try (OutputStream out = exchange.getResponseBody()) {
                png.writeTo(out);
            }
        });
    }

    private CliRun generate(String provider, String... more) {
        String[] args = new String[8 + more.length];
        System.arraycopy(
                new String[] {
                    "generate", "--prompt", "a lighthouse", "--provider", provider, "--base-url", base, "--json"
                },
                0,
                args,
                0,
                8);
        System.arraycopy(more, 0, args, 8, more.length);
        return CliRun.of(dir, Map.of(ApiKeySource.ENV, KEY), false, args);
    }

    private static void assertImageOnDisk(CliRun run) throws IOException {
        JsonNode result = JSON.readTree(run.out());
        assertThat(result.get("images")).hasSize(1);
        Path file = Path.of(result.get("images").get(0).get("file").asText());
        BufferedImage written = ImageIO.read(file.toFile());
        assertThat(written).as(file.toString()).isNotNull();
        assertThat(written.getWidth()).isEqualTo(64);
        assertThat(Path.of(file + ".json")).exists();
    }

    /**
     * Runflow (https://docs.runflow.io/concepts/runs): {@code POST /v1/models/{model}/runs} answers at once with the
     * run's {@code id} and {@code status_code: queued}; {@code GET /v1/runs/{id}} then says {@code running} and
     * {@code succeeded}, with the normalized output: {@code outputs[]} (each with at least {@code url}),
     * {@code seed}, {@code timing}, {@code nsfw_detected}.
     */
    @Test
    void aRunflowGenerateWritesItsImage() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        route("/v1/models/", exchange -> {
            JsonNode body = JSON.readTree(exchange.getRequestBody());
            assertThat(body.at("/input/prompt").asText()).isEqualTo("a lighthouse");
            send(exchange, 200, "{\"id\":\"run_7f2\",\"status_code\":\"queued\"}");
        });
        route(
                "/v1/runs/run_7f2",
                exchange -> send(
                        exchange,
                        200,
                        polls.incrementAndGet() == 1
                                ? "{\"id\":\"run_7f2\",\"status_code\":\"running\",\"output\":null}"
                                : "{\"id\":\"run_7f2\",\"status_code\":\"succeeded\",\"output\":{\"outputs\":[{\"url\":\""
                                        + base
                                        + "/files/run_7f2.png\",\"content_type\":\"image/png\"}],\"seed\":42,"
                                        + "\"timing\":{\"total_ms\":5400},\"nsfw_detected\":false}}"));
        servePng("/files/");

        CliRun run = generate("runflow");

        assertThat(run.exit()).as(run.all()).isZero();
        assertImageOnDisk(run);
        assertThat(JSON.readTree(run.out()).at("/tasks/0/taskId").asText()).isEqualTo("run_7f2");
        assertThat(arrivals.stream().filter(a -> a.method().equals("POST"))).hasSize(1);
    }

    /**
     * ToAPIs (https://docs.toapis.com/docs/en/api-reference/rate-limits/async-tasks and tasks/image-status): a submit
     * refused with 503 {@code rate_limit_unavailable} created nothing and is sent again after {@code Retry-After};
     * the first status request comes no sooner than 5 s after the task was accepted ("Initial wait: 5 seconds").
     */
    @Test
    void aToApisSubmitRefusedByItsLimiterIsRetriedAndTheFirstStatusWaitsFiveSeconds() throws Exception {
        AtomicInteger submits = new AtomicInteger();
        route("/v1/images/generations", exchange -> {
            if (exchange.getRequestMethod().equals("POST")) {
                if (submits.incrementAndGet() == 1) {
                    send(
                            exchange,
                            503,
                            "{\"error\":{\"code\":\"rate_limit_unavailable\",\"message\":\"The async task submit "
                                    + "limiter is temporarily unavailable\"}}",
                            Map.of("Retry-After", "1"));
                } else {
                    send(
                            exchange,
                            200,
                            "{\"id\":\"task_img_01\",\"object\":\"generation.task\",\"model\":\"flux-kontext-max\","
                                    + "\"status\":\"queued\",\"progress\":0,\"created_at\":1768381010}");
                }
            } else {
                send(
                        exchange,
                        200,
                        "{\"id\":\"task_img_01\",\"object\":\"generation.task\",\"model\":\"flux-kontext-max\","
                                + "\"status\":\"completed\",\"progress\":100,\"created_at\":1768381010,"
                                + "\"completed_at\":1768381016,\"expires_at\":1768467416,\"result\":{\"type\":\"image\","
                                + "\"data\":[{\"url\":\"" + base + "/files/task_img_01.png\"}]}}");
            }
        });
        servePng("/files/");

        CliRun run = generate("toapis");

        assertThat(run.exit()).as(run.all()).isZero();
        assertImageOnDisk(run);
        assertThat(submits).hasValue(2);
        List<Arrival> submitsSeen =
                arrivals.stream().filter(a -> a.method().equals("POST")).toList();
        Arrival status = arrivals.stream()
                .filter(a -> a.method().equals("GET") && a.path().startsWith("/v1/"))
                .findFirst()
                .orElseThrow();
        assertThat(Duration.ofNanos(
                        submitsSeen.get(1).nanos() - submitsSeen.get(0).nanos()))
                .as("the refused submit is sent again after Retry-After")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(Duration.ofNanos(status.nanos() - submitsSeen.get(1).nanos()))
                .as("first status request after the accepted submit")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(5));
    }
}
