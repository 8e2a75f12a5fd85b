package io.jenkins.plugins.fluxkontext.core.engine;

import static io.jenkins.plugins.fluxkontext.core.harness.ScriptedBfl.pending;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.fluxkontext.core.TestImages;
import io.jenkins.plugins.fluxkontext.core.harness.BackgroundBuild;
import io.jenkins.plugins.fluxkontext.core.harness.ScriptedBfl;
import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
import io.jenkins.plugins.fluxkontext.core.model.InvalidRequestException;
import io.jenkins.plugins.fluxkontext.core.model.Violation;
import io.jenkins.plugins.fluxkontext.core.output.OutputPlan;
import io.jenkins.plugins.fluxkontext.core.provider.ApiKey;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderEndpoint;
import io.jenkins.plugins.fluxkontext.core.task.Billing;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import okio.Buffer;
import org.junit.jupiter.api.Test;

/** Aborts, the in-flight limit, and checks that happen before anything is paid for. */
class AbortAndLimitStoriesTest extends EngineStory {

    @Test
    void anInterruptWhilePollingStopsAtOnceAndNamesTheTaskThatMayStillBeBilled() throws Exception {
        bfl.onPoll((id, n) -> n == 1
                ? pending(0.2)
                : new MockResponse.Builder()
                        .onResponseStart(SocketEffect.Stall.INSTANCE)
                        .build());
        BackgroundBuild build = BackgroundBuild.start(() -> run(prompt().build()));
        waitUntil(() -> bfl.polls() == 2);

        GenerationAbortedException aborted = build.interruptAndJoin();

        seen.add(aborted.getMessage());
        assertThat(aborted.result().outcomes())
                .singleElement()
                .isInstanceOfSatisfying(TaskOutcome.Cancelled.class, c -> {
                    assertThat(c.taskId()).isEqualTo("task-1");
                    assertThat(c.billing()).isEqualTo(Billing.MAYBE_BILLED);
                    assertThat(c.message()).contains("task-1", "may still run and be billed");
                });
        assertThat(events).last().isInstanceOf(ProgressEvent.Finished.class);
        assertThat(bfl.polls()).as("no status request after the abort").isEqualTo(2);
        assertThat(filesInOutput()).isEmpty();
    }

    @Test
    void anInterruptDuringTheDownloadLeavesNoPartialFile() throws Exception {
        byte[] big = TestImages.png(400, 400);
        bfl.onDownload(new MockResponse.Builder()
                .setHeader("Content-Type", "image/png")
                .body(new Buffer().write(big))
                .throttleBody(64, 1, TimeUnit.SECONDS)
                .build());
        BackgroundBuild build = BackgroundBuild.start(() -> run(prompt().build()));
        waitUntil(() -> {
            try {
                return filesInOutput().stream().anyMatch(n -> n.endsWith(".part"));
            } catch (IOException e) {
                return false;
            }
        });

        GenerationAbortedException aborted = build.interruptAndJoin();

        seen.add(aborted.getMessage());
        assertThat(aborted.result().outcomes())
                .singleElement()
                .satisfies(o -> assertThat(o.taskId()).isEqualTo("task-1"))
                .satisfies(o -> assertThat(o.billing()).isEqualTo(Billing.BILLED));
        assertThat(filesInOutput()).isEmpty();
    }

    @Test
    void threeImagesWithALimitOfTwoNeverHaveMoreThanTwoTasksRunning() throws Exception {
        engine.close();
        engine = engine(GenerationEngine.builder().maxConcurrentTasks(2));
        // A task finishes only while two run (or once all three exist), so the limit is really reached.
        bfl.onPoll((id, n) -> bfl.running() >= 2 || bfl.created() == 3 ? bfl.ready(id) : pending(0.5));

        GenerationResult result = run(prompt().count(3).seed(100L).build());

        assertThat(result.allSucceeded()).as(result.failures().toString()).isTrue();
        assertThat(bfl.maxRunning()).isEqualTo(2);
        assertThat(bfl.submits()).isEqualTo(3);
        assertThat(events(ProgressEvent.WaitingForSlot.class))
                .singleElement()
                .satisfies(w -> assertThat(w.limit()).isEqualTo(2));
        assertThat(result.outcomes()).extracting(TaskOutcome::index).containsExactly(1, 2, 3);
        assertThat(imageFiles()).containsExactly("flux-kontext-1.png", "flux-kontext-2.png", "flux-kontext-3.png");
        ObjectMapper json = new ObjectMapper();
        List<Long> seeds = bfl.requests().stream()
                .filter(r -> r.getMethod().equals("POST"))
                .map(r -> {
                    try {
                        return json.readTree(text(r)).get("seed").asLong();
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                })
                .sorted()
                .toList();
        assertThat(seeds)
                .as("consecutive seeds, so a batch is not three copies")
                .containsExactly(100L, 101L, 102L);
    }

    @Test
    void aTakenFileNameIsReportedBeforeAnythingIsSent() throws Exception {
        Files.write(out.resolve("flux-kontext-1.png"), ScriptedBfl.PNG);

        assertThatThrownBy(() -> run(prompt().build()))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("flux-kontext-1.png");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void whatTheProviderCannotHonourIsReportedBeforeAnythingIsSent() {
        GenerationJob job = new GenerationJob(
                prompt().count(2).build(),
                new ProviderEndpoint(new SingleImageOnly(), server.url("/").uri()),
                ApiKey.of(KEY),
                OutputPlan.into(out));

        assertThatThrownBy(() -> run(job))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("count")
                .hasMessageContaining("one image");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void anInvalidFieldNeverReachesTheEngine() {
        assertThatThrownBy(() -> prompt().aspectRatio("30:9").safetyTolerance(9).build())
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("aspectRatio")
                .hasMessageContaining("safetyTolerance");
        assertThat(server.getRequestCount()).isZero();
    }

    /** BFL's wire, but a provider that cannot make more than one image per request. */
    private static final class SingleImageOnly extends ForwardingBflDialect {

        @Override
        public String id() {
            return "single";
        }

        @Override
        public String displayName() {
            return "Single";
        }

        @Override
        public List<Violation> unsupported(GenerationRequest request) {
            return request.count() == 1
                    ? List.of()
                    : List.of(
                            new Violation("count", Integer.toString(request.count()), "this provider makes one image"));
        }
    }
}
