package io.jenkins.plugins.fluxkontext.core.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.fluxkontext.core.engine.GenerationJob;
import io.jenkins.plugins.fluxkontext.core.engine.GenerationResult;
import io.jenkins.plugins.fluxkontext.core.harness.LoopbackStage;
import io.jenkins.plugins.fluxkontext.core.harness.ScriptedBfl;
import io.jenkins.plugins.fluxkontext.core.log.ProgressLog;
import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
import io.jenkins.plugins.fluxkontext.core.output.OutputPlan;
import io.jenkins.plugins.fluxkontext.core.provider.ApiKey;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderEndpoint;
import io.jenkins.plugins.fluxkontext.core.provider.bfl.BflDialect;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The stage for the fault-matrix stories (docs/reliability.md): a scripted BFL on loopback, manual time, an output
 * folder, and everything a build log reader would see, captured through the real {@link ProgressLog}. After every
 * story the key, its header form and the result URLs' signature must appear in none of it.
 */
abstract class FaultStage extends LoopbackStage {

    static final String KEY = "bfl-sk-FAULTS-9c41e2d7";

    ScriptedBfl bfl;
    /** The build log: every ProgressLog line, the summary, exception texts the story met. */
    final List<String> log = new CopyOnWriteArrayList<>();

    @BeforeEach
    void stage() {
        bfl = new ScriptedBfl(server);
    }

    @AfterEach
    void nothingSecretReachedTheLogOrTheFiles() throws IOException {
        List<String> visible = new ArrayList<>(log);
        visible.addAll(writtenFiles());
        assertThat(visible)
                .as("the build log and every file written")
                .noneMatch(text -> text.contains(KEY) || text.contains(ScriptedBfl.SIGNATURE));
        for (RecordedRequest request : bfl.requests()) {
            if (request.getUrl().encodedPath().startsWith("/delivery/")) {
                assertThat(request.getHeaders().names())
                        .as("headers sent to the image host")
                        .doesNotContain("x-key", "Authorization");
            }
        }
    }

    GenerationRequest.Builder prompt() {
        return GenerationRequest.builder().prompt("A paper boat on a rain puddle, morning light");
    }

    GenerationJob job(GenerationRequest request, OutputPlan plan) {
        return new GenerationJob(
                request, new ProviderEndpoint(new BflDialect(), server.url("/").uri()), ApiKey.of(KEY), plan);
    }

    /** Runs a job to the end the way a step does: progress lines while it runs, then the summary. */
    GenerationResult run(GenerationJob job) throws InterruptedException {
        ProgressLog progress = new ProgressLog(log::add, job.request().count(), out);
        try {
            GenerationResult result = engine.run(job, progress);
            progress.summary(result, Duration.ofSeconds(1));
            return result;
        } catch (RuntimeException e) {
            log.add(String.valueOf(e.getMessage()));
            throw e;
        }
    }

    TaskOutcome runOne() throws InterruptedException {
        return runOne(OutputPlan.into(out));
    }

    TaskOutcome runOne(OutputPlan plan) throws InterruptedException {
        GenerationResult result = run(job(prompt().build(), plan));
        assertThat(result.outcomes()).hasSize(1);
        return result.outcomes().get(0);
    }

    /** Every file under the output folder, temporary ones included, relative to it. */
    List<String> filesInOutput() throws IOException {
        try (Stream<Path> files = Files.walk(out)) {
            return files.filter(p -> !Files.isDirectory(p))
                    .map(p -> out.relativize(p).toString())
                    .sorted()
                    .toList();
        }
    }

    List<String> partialFiles() throws IOException {
        return filesInOutput().stream().filter(n -> n.endsWith(".part")).toList();
    }
}
