package io.jenkins.plugins.fluxkontext.core.faults;

import static io.jenkins.plugins.fluxkontext.core.harness.ScriptedBfl.json;
import static io.jenkins.plugins.fluxkontext.core.harness.ScriptedBfl.pending;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.fluxkontext.core.TestImages;
import io.jenkins.plugins.fluxkontext.core.engine.GenerationEngine;
import io.jenkins.plugins.fluxkontext.core.engine.GenerationResult;
import io.jenkins.plugins.fluxkontext.core.engine.Sleeper;
import io.jenkins.plugins.fluxkontext.core.output.OutputPlan;
import io.jenkins.plugins.fluxkontext.core.task.Billing;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome.RejectionKind;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import okio.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Rows and C-04 of docs/reliability.md that the engine stories do not already tell: hidden retries, rate
 * limits and server errors on reads, refusals that must not be repeated, stalls, drips and the one deadline.
 */
class HttpFaultsTest extends FaultStage {

    // ---- the HTTP client never repeats a paid submit on its own ------------------------------------

    @Test
    void r03_aConnectionTheServerClosedAfterAnsweringIsNeverReusedForTheNextSubmit() throws Exception {
        replaceEngine(GenerationEngine.builder().maxConcurrentTasks(1));
        bfl.onSubmit(new MockResponse.Builder()
                .code(200)
                .setHeader("Content-Type", "application/json")
                .body("{\"id\":\"task-first\",\"polling_url\":\"" + server.url("/v1/get_result?id=task-first") + "\"}")
                .onResponseEnd(SocketEffect.ShutdownConnection.INSTANCE)
                .build());

        GenerationResult result = run(job(prompt().count(2).build(), OutputPlan.into(out)));

        assertThat(result.allSucceeded()).as(result.failures().toString()).isTrue();
        assertThat(bfl.submits())
                .as("one POST per task, none repeated by the client")
                .isEqualTo(2);
    }

    @Test
    void r03_aRequestTimeoutOnAStatusRequestOrDownloadIsSimplyAskedAgain() throws Exception {
        bfl.onPoll((id, n) -> n == 1 ? json(408, "{\"detail\":\"request timeout\"}") : bfl.ready(id));
        bfl.onDownload(json(408, "{\"detail\":\"request timeout\"}"));

        TaskOutcome outcome = runOne();

        assertThat(outcome.succeeded()).as(outcome.message()).isTrue();
        assertThat(bfl.polls()).isEqualTo(2);
        assertThat(bfl.downloads()).isEqualTo(2);
        assertThat(bfl.submits()).isEqualTo(1);
    }

    // ---- 429 on the reads waits as long as the provider asks ----------------------------------------

    @Test
    void r04_aRateLimitedStatusRequestWaitsTheRetryAfterAndKeepsTheTask() throws Exception {
        bfl.onPoll((id, n) -> n == 1
                ? new MockResponse.Builder()
                        .code(429)
                        .setHeader("Retry-After", "4")
                        .body("{\"detail\":\"slow down\"}")
                        .build()
                : bfl.ready(id));

        TaskOutcome outcome = runOne();

        assertThat(outcome.succeeded()).as(outcome.message()).isTrue();
        assertThat(time.sleeps()).contains(Duration.ofSeconds(4));
        assertThat(bfl.submits()).isEqualTo(1);
        assertThat(log).anyMatch(line -> line.contains("failed (HTTP 429); retrying in 4.0 s"));
    }

    @Test
    void r04_aRateLimitedDownloadWaitsTheRetryAfterAndFetchesAgain() throws Exception {
        bfl.onDownload(new MockResponse.Builder()
                .code(429)
                .setHeader("Retry-After", "2")
                .build());

        TaskOutcome outcome = runOne();

        assertThat(outcome.succeeded()).as(outcome.message()).isTrue();
        assertThat(time.sleeps()).contains(Duration.ofSeconds(2));
        assertThat(bfl.downloads()).isEqualTo(2);
        assertThat(filesInOutput()).contains("flux-kontext-1.png").noneMatch(n -> n.endsWith(".part"));
    }

    // ---- server errors on the download are retried with backoff, within a budget --------------------

    @Test
    void r05_serverErrorsOnTheDownloadAreRetriedWithBackoff() throws Exception {
        bfl.onDownload(json(503, "busy"), json(502, "bad gateway"));

        TaskOutcome outcome = runOne();

        assertThat(outcome.succeeded()).as(outcome.message()).isTrue();
        assertThat(bfl.downloads()).isEqualTo(3);
        assertThat(bfl.submits()).isEqualTo(1);
        assertThat(log)
                .filteredOn(line -> line.contains("download of task task-1 failed"))
                .hasSize(2);
        assertThat(partialFiles()).isEmpty();
    }

    @Test
    void r05_aDownloadThatKeepsFailingEndsAtTheDeadlineWithTheLastStatusAndNoFile() throws Exception {
        replaceEngine(GenerationEngine.builder().totalTimeout(Duration.ofSeconds(60)));
        bfl.onDownload(Collections.nCopies(1000, json(503, "busy")).toArray(MockResponse[]::new));

        TaskOutcome outcome = runOne();

        assertThat(outcome).isInstanceOf(TaskOutcome.DownloadFailed.class);
        assertThat(outcome.billing()).isEqualTo(Billing.BILLED);
        assertThat(outcome.message()).contains("task-1", "deadline", "(last: HTTP 503)");
        assertThat(bfl.downloads())
                .as("a paid image is not given up after a few failures")
                .isGreaterThan(4);
        assertThat(filesInOutput()).noneMatch(n -> n.endsWith(".png") || n.endsWith(".part"));
    }

    // ---- refusals are final; a task the provider forgot is never submitted again --------------

    @Test
    void r07_aStatusRequestAnswered404EndsTheTaskAsNotFoundWithoutResubmitting() throws Exception {
        bfl.onPoll((id, n) -> json(404, "{\"detail\":\"Task not found\"}"));

        TaskOutcome outcome = runOne();

        assertThat(outcome).isInstanceOf(TaskOutcome.NotFound.class);
        assertThat(outcome.message()).contains("task-1");
        assertThat(bfl.polls()).isEqualTo(1);
        assertThat(bfl.submits()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 409, 422})
    void r07_r08_aStatusRequestRefusedWithA4xxIsNotAskedAgain(int code) throws Exception {
        bfl.onPoll((id, n) -> json(code, "{\"detail\":\"refused\"}"));

        TaskOutcome outcome = runOne();

        assertThat(outcome).isInstanceOf(TaskOutcome.Failed.class);
        assertThat(outcome.billing()).isEqualTo(Billing.MAYBE_BILLED);
        assertThat(outcome.message()).contains("task-1", "HTTP " + code);
        assertThat(bfl.polls()).isEqualTo(1);
        assertThat(bfl.submits()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(ints = {401, 403})
    void r07_aStatusRequestRefusedForItsKeyPointsAtTheCredentialAndIsNotAskedAgain(int code) throws Exception {
        bfl.onPoll((id, n) -> json(code, "{\"detail\":\"Invalid key\"}"));

        TaskOutcome outcome = runOne();

        assertThat(outcome).isInstanceOf(TaskOutcome.Failed.class);
        assertThat(outcome.message()).contains("task-1", "check the credential");
        assertThat(bfl.polls()).isEqualTo(1);
        assertThat(bfl.submits()).isEqualTo(1);
    }

    @Test
    void r08_aConflictOnTheSubmitIsARefusalAndNotRepeated() throws Exception {
        // BFL takes no idempotency key, so a 409 cannot be a key conflict worth repeating.
        bfl.onSubmit(json(409, "{\"detail\":\"conflict\"}"));

        TaskOutcome outcome = runOne();

        assertThat(outcome).isInstanceOfSatisfying(TaskOutcome.Rejected.class, r -> {
            assertThat(r.httpStatus()).isEqualTo(409);
            assertThat(r.kind()).isEqualTo(RejectionKind.OTHER);
        });
        assertThat(bfl.submits()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 404, 409})
    void r07_aRefusedImageUrlIsNotAskedAgainButTheTaskIsAskedOnceForAFreshOne(int code) throws Exception {
        bfl.onDownload(json(code, "{\"detail\":\"no\"}"));

        TaskOutcome outcome = runOne();

        assertThat(outcome).isInstanceOf(TaskOutcome.DownloadFailed.class);
        assertThat(outcome.message()).contains("task-1", "HTTP " + code);
        assertThat(bfl.downloads()).isEqualTo(1);
        assertThat(bfl.polls()).isEqualTo(2);
        assertThat(bfl.submits()).isEqualTo(1);
    }

    // ---- stalls, drips and malformed answers ---------------------------------------------

    @Test
    void r10_aStatusRequestThatNeverAnswersIsAskedAgainUntilTheDeadlineAndTheTaskTimesOut() throws Exception {
        // Built here, not by replaceEngine, which would put the stage's 5 s read timeout back.
        engine.close();
        engine = GenerationEngine.builder()
                .clock(time)
                .sleeper(time)
                .random(quarterJitter())
                .connectTimeout(Duration.ofSeconds(2))
                .readTimeout(Duration.ofMillis(200))
                .totalTimeout(Duration.ofSeconds(30))
                .build();
        bfl.onPoll((id, n) -> new MockResponse.Builder()
                .onResponseStart(SocketEffect.Stall.INSTANCE)
                .build());

        TaskOutcome outcome = runOne();

        assertThat(outcome).isInstanceOf(TaskOutcome.TimedOut.class);
        assertThat(outcome.billing()).isEqualTo(Billing.MAYBE_BILLED);
        assertThat(outcome.taskId()).isEqualTo("task-1");
        assertThat(bfl.polls())
                .as("asked again and again, not given up after a few")
                .isGreaterThan(4);
        assertThat(log).anyMatch(line -> line.contains("status of task task-1 failed (timed out"));
        assertThat(bfl.submits()).isEqualTo(1);
    }

    @Test
    void r11_anImageThatDripsInSlowerThanTheDeadlineIsCutOffAtTheDeadline() throws Exception {
        // Real time here: the drip is real. Each read gets a byte within the read timeout, so only the job's
        // deadline can end it. Unbounded, the drip would take over 30 s.
        engine.close();
        engine = GenerationEngine.builder()
                .clock(Clock.systemUTC())
                .sleeper(Sleeper.SYSTEM)
                .random(quarterJitter())
                .totalTimeout(Duration.ofSeconds(3))
                .readTimeout(Duration.ofSeconds(5))
                .build();
        byte[] png = TestImages.png(300, 300);
        assertThat(png.length).isGreaterThan(2000);
        bfl.onDownload(new MockResponse.Builder()
                .setHeader("Content-Type", "image/png")
                .body(new Buffer().write(png))
                .throttleBody(16, 250, TimeUnit.MILLISECONDS)
                .build());

        TaskOutcome outcome = runOne();

        assertThat(outcome).isInstanceOf(TaskOutcome.DownloadFailed.class);
        assertThat(outcome.message()).contains("task-1", "deadline");
        assertThat(filesInOutput()).noneMatch(n -> n.endsWith(".png") || n.endsWith(".part"));
    }

    @Test
    void r12_aStatusAnswerThatBreaksOffOrIsEmptyIsAskedAgain() throws Exception {
        bfl.onPoll((id, n) -> switch (n) {
            case 1 ->
                new MockResponse.Builder()
                        .setHeader("Content-Type", "application/json")
                        .body("{\"status\":\"Pending\",\"progress\":0.5,\"padding\":\"" + "x".repeat(4000) + "\"}")
                        .onResponseBody(new SocketEffect.CloseSocket(true, false, false))
                        .build();
            case 2 -> json(200, "");
            default -> bfl.ready(id);
        });

        TaskOutcome outcome = runOne();

        assertThat(outcome.succeeded()).as(outcome.message()).isTrue();
        assertThat(bfl.polls()).isEqualTo(3);
        assertThat(bfl.submits()).isEqualTo(1);
    }

    // ---- C-04: one deadline bounds every retry and every wait ----------------------------------------------

    @Test
    void c04_statusRequestsThatKeepFailingEndAtTheDeadlineNotAfterEveryRetry() throws Exception {
        replaceEngine(GenerationEngine.builder().totalTimeout(Duration.ofSeconds(60)));
        bfl.onPoll((id, n) -> n % 3 == 0
                ? pending(0.4)
                : new MockResponse.Builder()
                        .code(503)
                        .setHeader("Retry-After", "20")
                        .build());

        TaskOutcome outcome = runOne();

        assertThat(outcome).isInstanceOf(TaskOutcome.TimedOut.class);
        assertThat(outcome.taskId()).isEqualTo("task-1");
        assertThat(time.slept()).as("never waited past the deadline").isLessThanOrEqualTo(Duration.ofSeconds(60));
        assertThat(bfl.submits()).isEqualTo(1);
    }
}
