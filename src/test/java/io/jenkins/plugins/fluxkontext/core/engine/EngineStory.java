package io.jenkins.plugins.fluxkontext.core.engine;

import static io.jenkins.plugins.fluxkontext.core.harness.ScriptedBfl.pending;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.fluxkontext.core.harness.ScriptedBfl;
import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
import io.jenkins.plugins.fluxkontext.core.output.OutputPlan;
import io.jenkins.plugins.fluxkontext.core.provider.ApiKey;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderEndpoint;
import io.jenkins.plugins.fluxkontext.core.provider.bfl.BflDialect;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The stage every engine story plays on: a scripted BFL on loopback, manual time, an output folder, and a record of
 * everything a user could see. After each story it checks that the API key appears in none of it.
 */
abstract class EngineStory extends RecordedStage {

    static final String KEY = "bfl-sk-7f3a9c2e-SECRET";

    ScriptedBfl bfl;

    /** Lets the first status request of each task answer Pending and holds every later one until released. */
    volatile boolean released;

    void holdPollsUntilReleased() {
        bfl.onPoll((id, n) -> released
                ? bfl.ready(id)
                : n == 1
                        ? pending(0.2)
                        : new MockResponse.Builder()
                                .onResponseStart(SocketEffect.Stall.INSTANCE)
                                .build());
    }

    @BeforeEach
    void stage() {
        bfl = new ScriptedBfl(server);
    }

    @AfterEach
    void theKeyAppearsNowhere() throws IOException {
        List<String> captured = visibleToTheUser();
        for (RecordedRequest request : bfl.requests()) {
            captured.add(request.getRequestLine());
            if (request.getUrl().encodedPath().startsWith("/delivery/")) {
                assertThat(request.getHeaders().names())
                        .as("headers sent to the image host")
                        .doesNotContain("x-key", "Authorization");
            }
        }
        assertThat(captured).as("everything a user could see").noneMatch(text -> text.contains(KEY));
    }

    GenerationJob job(GenerationRequest request) {
        return job(request, OutputPlan.into(out));
    }

    GenerationJob job(GenerationRequest request, OutputPlan plan) {
        ProviderEndpoint endpoint =
                new ProviderEndpoint(new BflDialect(), server.url("/").uri());
        return new GenerationJob(request, endpoint, ApiKey.of(KEY), plan);
    }

    /** Runs one request to the end and records what the user sees. */
    GenerationResult run(GenerationRequest request) throws InterruptedException {
        return run(job(request));
    }

    GenerationResult run(GenerationJob job) throws InterruptedException {
        return recorded(() -> engine.run(job, events::add));
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
        return filesInOutput().stream()
                .filter(n -> n.endsWith(".png") || n.endsWith(".jpg"))
                .toList();
    }

    static String text(RecordedRequest request) {
        return request.getBody() == null ? "" : request.getBody().utf8();
    }

    static void rethrowUnchecked(IOException e) {
        throw new UncheckedIOException(e);
    }
}
