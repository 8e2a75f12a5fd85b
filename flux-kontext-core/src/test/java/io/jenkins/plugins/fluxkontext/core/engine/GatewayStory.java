package io.jenkins.plugins.fluxkontext.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
import io.jenkins.plugins.fluxkontext.core.output.OutputPlan;
import io.jenkins.plugins.fluxkontext.core.provider.ApiKey;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderDialect;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderEndpoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stage for a gateway dialect's stories: a scripted fake of its API on loopback, manual time, an output folder.
 * After each story it checks what the user could see and what went over the wire: the key only ever in the
 * provider's auth header ({@link #authHeader}), never in a URL, a body, an event, an outcome or a file, and never
 * sent to the image host.
 */
abstract class GatewayStory {

    static final String KEY = "gw-sk-4b1d-SECRET";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path out;

    MockWebServer server;
    FakeGateway gateway;
    final ManualTime time = new ManualTime();
    final List<ProgressEvent> events = new CopyOnWriteArrayList<>();
    final List<String> seen = new CopyOnWriteArrayList<>();
    GenerationEngine engine;

    /** The dialect under test. */
    abstract ProviderDialect dialect();

    /** The auth header and its value as the provider wants it, e.g. {@code Authorization: Bearer KEY}. */
    abstract String[] authHeader();

    @BeforeEach
    void stage() throws IOException {
        server = new MockWebServer();
        server.start();
        gateway = new FakeGateway(server);
        engine = GenerationEngine.builder().clock(time).sleeper(time).random(() -> 1L << 62)
                .connectTimeout(Duration.ofSeconds(2)).readTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterEach
    void theKeyGoesOnlyIntoTheAuthHeader() throws IOException {
        List<String> captured = new ArrayList<>(seen);
        events.forEach(e -> captured.add(e.toString()));
        events.stream().filter(e -> e instanceof ProgressEvent.Finished).map(e -> ((ProgressEvent.Finished) e).outcome())
                .forEach(o -> captured.add(o.message()));
        try (Stream<Path> files = Files.walk(out)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                captured.add(file + "\n" + new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
            }
        }
        String[] auth = authHeader();
        for (RecordedRequest request : gateway.requests()) {
            captured.add(request.getRequestLine());
            captured.add(request.getBody() == null ? "" : request.getBody().utf8());
            for (String name : request.getHeaders().names()) {
                if (!name.equalsIgnoreCase(auth[0])) {
                    captured.add(name + ": " + request.getHeaders().get(name));
                }
            }
            if (request.getUrl().encodedPath().startsWith("/files/")) {
                assertThat(request.getHeaders().get(auth[0])).as("auth header sent to the image host").isNull();
            } else {
                assertThat(request.getHeaders().get(auth[0])).as(request.getRequestLine()).isEqualTo(auth[1]);
            }
        }
        assertThat(captured).as("everything a user could see, and the wire outside the auth header")
                .noneMatch(text -> text.contains(KEY));
        engine.close();
        server.close();
    }

    GenerationRequest.Builder prompt() {
        return GenerationRequest.builder().prompt("A red fox reading a newspaper, watercolour");
    }

    GenerationResult run(GenerationRequest request) throws InterruptedException {
        ProviderEndpoint endpoint = new ProviderEndpoint(dialect(), server.url("/").uri());
        GenerationJob job = new GenerationJob(request, endpoint, ApiKey.of(KEY), OutputPlan.into(out));
        try {
            GenerationResult result = engine.run(job, events::add);
            seen.add(result.toString());
            result.outcomes().forEach(o -> seen.add(o.message()));
            return result;
        } catch (RuntimeException e) {
            seen.add(String.valueOf(e.getMessage()));
            throw e;
        }
    }

    TaskOutcome runOne(GenerationRequest request) throws InterruptedException {
        GenerationResult result = run(request);
        assertThat(result.outcomes()).hasSize(1);
        return result.outcomes().get(0);
    }

    List<String> imageFiles() throws IOException {
        try (Stream<Path> files = Files.list(out)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".png") || n.endsWith(".jpg"))
                    .sorted().toList();
        }
    }

    static JsonNode body(RecordedRequest request) throws IOException {
        return JSON.readTree(request.getBody().utf8());
    }

    static String status(String template, Object... args) {
        return String.format(template, args);
    }
}
