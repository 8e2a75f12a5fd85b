package io.jenkins.plugins.fluxkontext.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
import io.jenkins.plugins.fluxkontext.core.output.OutputPlan;
import io.jenkins.plugins.fluxkontext.core.provider.ApiKey;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderEndpoint;
import io.jenkins.plugins.fluxkontext.core.provider.bfl.BflDialect;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stage every engine story plays on: a fake BFL on loopback, manual time, an output folder, and a record of
 * everything a user could see. After each story it checks that the API key appears in none of it.
 */
abstract class EngineStory {

    static final String KEY = "bfl-sk-7f3a9c2e-SECRET";

    @TempDir
    Path out;

    MockWebServer server;
    FakeBfl bfl;
    final ManualTime time = new ManualTime();
    final List<ProgressEvent> events = new CopyOnWriteArrayList<>();
    /** Texts the story saw besides events and outcomes: exception messages, results. */
    final List<String> seen = new CopyOnWriteArrayList<>();
    GenerationEngine engine;

    @BeforeEach
    void stage() throws IOException {
        server = new MockWebServer();
        server.start();
        bfl = new FakeBfl(server);
        engine = engine(GenerationEngine.builder());
    }

    /** The engine every story uses, on manual time and with fixed jitter; stories may tweak the builder. */
    GenerationEngine engine(GenerationEngine.Builder builder) {
        return builder.clock(time).sleeper(time).random(halfJitter())
                .connectTimeout(Duration.ofSeconds(2)).readTimeout(Duration.ofSeconds(5)).build();
    }

    /** Full jitter drawn at a quarter of the ceiling, always. */
    static RandomGenerator halfJitter() {
        return () -> 1L << 62;
    }

    @AfterEach
    void theKeyAppearsNowhere() throws IOException {
        List<String> captured = new ArrayList<>(seen);
        events.forEach(e -> captured.add(e.toString()));
        events.stream().filter(e -> e instanceof ProgressEvent.Finished).map(e -> ((ProgressEvent.Finished) e).outcome())
                .forEach(o -> captured.add(o.message()));
        try (Stream<Path> files = Files.walk(out)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                captured.add(file + "\n" + new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
            }
        }
        for (RecordedRequest request : bfl.requests()) {
            captured.add(request.getRequestLine());
            if (request.getUrl().encodedPath().startsWith("/delivery/")) {
                assertThat(request.getHeaders().names()).as("headers sent to the image host")
                        .doesNotContain("x-key", "Authorization");
            }
        }
        assertThat(captured).as("everything a user could see").noneMatch(text -> text.contains(KEY));
        engine.close();
        server.close();
    }

    GenerationRequest.Builder prompt() {
        return GenerationRequest.builder().prompt("A red fox reading a newspaper, watercolour");
    }

    GenerationJob job(GenerationRequest request) {
        return job(request, OutputPlan.into(out));
    }

    GenerationJob job(GenerationRequest request, OutputPlan plan) {
        ProviderEndpoint endpoint = new ProviderEndpoint(new BflDialect(), server.url("/").uri());
        return new GenerationJob(request, endpoint, ApiKey.of(KEY), plan);
    }

    /** Runs one request to the end and records what the user sees. */
    GenerationResult run(GenerationRequest request) throws InterruptedException {
        return run(job(request));
    }

    GenerationResult run(GenerationJob job) throws InterruptedException {
        try {
            GenerationResult result = engine.run(job, events::add);
            seen.add(result.toString());
            result.outcomes().forEach(o -> seen.add(o.message()));
            return result;
        } catch (RuntimeException e) {
            seen.add(String.valueOf(e.getMessage()));
            seen.add(e.toString());
            throw e;
        }
    }

    TaskOutcome runOne() throws InterruptedException {
        GenerationResult result = run(prompt().build());
        assertThat(result.outcomes()).hasSize(1);
        return result.outcomes().get(0);
    }

    /** Files in the output folder, temporary ones included. */
    List<String> filesInOutput() throws IOException {
        try (Stream<Path> files = Files.list(out)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    List<String> imageFiles() throws IOException {
        return filesInOutput().stream().filter(n -> n.endsWith(".png") || n.endsWith(".jpg")).toList();
    }

    <T extends ProgressEvent> List<T> events(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    static String text(RecordedRequest request) {
        return request.getBody() == null ? "" : request.getBody().utf8();
    }

    static void rethrowUnchecked(IOException e) {
        throw new UncheckedIOException(e);
    }
}
