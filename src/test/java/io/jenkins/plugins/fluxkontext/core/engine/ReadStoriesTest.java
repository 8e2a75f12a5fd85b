package io.jenkins.plugins.fluxkontext.core.engine;

import static io.jenkins.plugins.fluxkontext.core.harness.ScriptedBfl.json;
import static io.jenkins.plugins.fluxkontext.core.harness.ScriptedBfl.pending;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.fluxkontext.core.TestImages;
import io.jenkins.plugins.fluxkontext.core.harness.ScriptedBfl;
import io.jenkins.plugins.fluxkontext.core.task.Billing;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;
import java.time.Duration;
import java.util.Collections;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import okio.Buffer;
import org.junit.jupiter.api.Test;

/** Status requests and downloads are reads: asked again after transient failures, within limits. */
class ReadStoriesTest extends EngineStory {

    @Test
    void serverErrorsOnAStatusRequestAreRetriedWithBackoff() throws Exception {
        bfl.onPoll((id, n) -> switch (n) {
            case 1 -> pending(0.3);
            case 2, 3 -> json(503, "{\"detail\":\"maintenance\"}");
            default -> bfl.ready(id);
        });

        TaskOutcome outcome = runOne();

        assertThat(outcome.succeeded()).isTrue();
        assertThat(bfl.submits()).isEqualTo(1);
        assertThat(bfl.polls()).isEqualTo(4);
        assertThat(events(ProgressEvent.Retrying.class))
                .hasSize(2)
                .allSatisfy(r -> assertThat(r.reason()).isEqualTo("HTTP 503"))
                // full jitter drawn at a quarter: 0.25 x 500 ms, then 0.25 x 1 s
                .extracting(ProgressEvent.Retrying::after)
                .containsExactly(Duration.ofMillis(125), Duration.ofMillis(250));
    }

    @Test
    void aStatusRequestThatKeepsFailingIsAskedUntilTheDeadlineAndTheTaskTimesOutMaybeBilled() throws Exception {
        replaceEngine(GenerationEngine.builder().totalTimeout(Duration.ofSeconds(60)));
        bfl.onPoll(json(500, "oops"));

        TaskOutcome outcome = runOne();

        assertThat(outcome).isInstanceOf(TaskOutcome.TimedOut.class);
        assertThat(outcome.billing()).isEqualTo(Billing.MAYBE_BILLED);
        assertThat(outcome.taskId()).isEqualTo("task-1");
        assertThat(bfl.polls())
                .as("a paid task is not given up after a few failures")
                .isGreaterThan(4);
        assertThat(time.slept()).isLessThanOrEqualTo(Duration.ofSeconds(60));
        assertThat(bfl.submits()).as("never resubmitted").isEqualTo(1);
    }

    @Test
    void aMalformedStatusAnswerIsAskedAgain() throws Exception {
        bfl.onPoll((id, n) -> n == 1 ? json(200, "<html>gateway hiccup</html>") : bfl.ready(id));

        assertThat(runOne().succeeded()).isTrue();
        assertThat(events(ProgressEvent.Retrying.class))
                .singleElement()
                .satisfies(r -> assertThat(r.reason()).contains("unreadable answer", "not JSON"));
    }

    @Test
    void statusAnswersThatStayMalformedFailTheTask() throws Exception {
        bfl.onPoll(json(200, "{\"id\":\"task-1\"}"));

        TaskOutcome outcome = runOne();

        assertThat(outcome).isInstanceOf(TaskOutcome.Failed.class);
        assertThat(outcome.message()).contains("task-1", "no status");
        assertThat(bfl.polls()).isEqualTo(4);
    }

    @Test
    void aConnectionResetDuringAStatusRequestKeepsTheTaskAndAsksAgain() throws Exception {
        bfl.onPoll((id, n) -> n == 1
                ? new MockResponse.Builder()
                        .onResponseStart(new SocketEffect.CloseSocket())
                        .build()
                : bfl.ready(id));

        assertThat(runOne().succeeded()).isTrue();
        assertThat(bfl.submits()).isEqualTo(1);
    }

    @Test
    void aPollingUrlOutsideTheProvidersDomainNeverReceivesTheKey() throws Exception {
        bfl.onSubmit(json(200, "{\"id\":\"task-9\",\"polling_url\":\"https://collector.example.net/poll?id=task-9\"}"));

        TaskOutcome outcome = runOne();

        assertThat(outcome).isInstanceOf(TaskOutcome.Failed.class);
        assertThat(outcome.message()).contains("task-9", "https://collector.example.net/poll", "not sent there");
        assertThat(bfl.polls()).isZero();
    }

    // ---- downloads ----------------------------------------------------------------------------------------

    @Test
    void anExpiredResultUrlFailsTheDownloadNamingTheTask() throws Exception {
        bfl.onDownload(json(403, "<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>"));

        TaskOutcome outcome = runOne();

        assertThat(outcome).isInstanceOf(TaskOutcome.DownloadFailed.class);
        assertThat(outcome.billing()).isEqualTo(Billing.BILLED);
        assertThat(outcome.message())
                .contains("task-1", "HTTP 403", "/delivery/task-1/sample.png")
                .doesNotContain(ScriptedBfl.SIGNATURE);
        assertThat(bfl.downloads()).as("the same URL is not asked again").isEqualTo(1);
        assertThat(bfl.polls())
                .as("one more status request, in case it has a fresh link")
                .isEqualTo(2);
        assertThat(filesInOutput()).noneMatch(n -> n.endsWith(".png") || n.endsWith(".part"));
    }

    @Test
    void anExpiredResultUrlIsReplacedWhenTheProviderHasAFreshOne() throws Exception {
        bfl.onPoll((id, n) -> n == 1
                ? bfl.ready(id)
                : json(
                        200,
                        "{\"id\":\"" + id + "\",\"status\":\"Ready\",\"result\":{\"sample\":\""
                                + bfl.imageUrl(id).replace(ScriptedBfl.SIGNATURE, "FRESH456") + "\"}}"));
        bfl.onDownload(json(403, "expired"));

        TaskOutcome outcome = runOne();

        assertThat(outcome.succeeded()).isTrue();
        assertThat(bfl.requests().getLast().getTarget()).contains("FRESH456");
    }

    @Test
    void aTruncatedDownloadLeavesNothingBehindAndIsFetchedAgain() throws Exception {
        byte[] png = TestImages.png(64, 64);
        bfl.onDownload(new MockResponse.Builder()
                .setHeader("Content-Type", "image/png")
                .body(new Buffer().write(png))
                .onResponseBody(new SocketEffect.CloseSocket())
                .build());

        TaskOutcome outcome = runOne();

        assertThat(outcome.succeeded()).as(outcome.message()).isTrue();
        assertThat(bfl.downloads()).isEqualTo(2);
        assertThat(filesInOutput()).noneMatch(n -> n.endsWith(".part"));
        assertThat(imageFiles()).containsExactly("flux-kontext-1.png");
    }

    @Test
    void aDownloadThatKeepsBreakingOffFailsAtTheDeadlineWithoutAPartialFile() throws Exception {
        replaceEngine(GenerationEngine.builder().totalTimeout(Duration.ofSeconds(60)));
        MockResponse truncated = new MockResponse.Builder()
                .setHeader("Content-Type", "image/png")
                .body(new Buffer().write(TestImages.png(64, 64)))
                .onResponseBody(new SocketEffect.CloseSocket())
                .build();
        bfl.onDownload(Collections.nCopies(1000, truncated).toArray(MockResponse[]::new));

        TaskOutcome outcome = runOne();

        assertThat(outcome).isInstanceOf(TaskOutcome.DownloadFailed.class);
        assertThat(outcome.message()).contains("task-1", "deadline", "(last: ");
        assertThat(bfl.downloads()).isGreaterThan(4);
        assertThat(filesInOutput()).noneMatch(n -> n.endsWith(".png") || n.endsWith(".part"));
    }

    @Test
    void anHtmlPageWhereAnImageWasPromisedIsRejectedAtOnce() throws Exception {
        bfl.onDownload(new MockResponse.Builder()
                .setHeader("Content-Type", "image/png")
                .body("<!DOCTYPE html><html><body>Sign in to continue</body></html>")
                .build());

        TaskOutcome outcome = runOne();

        assertThat(outcome).isInstanceOf(TaskOutcome.DownloadFailed.class);
        assertThat(outcome.message()).contains("task-1", "HTML");
        assertThat(bfl.downloads()).isEqualTo(1);
        assertThat(filesInOutput()).noneMatch(n -> n.endsWith(".png") || n.endsWith(".part"));
    }

    @Test
    void anImageOverPlainHttpFromAnotherHostIsRefused() throws Exception {
        bfl.onPoll(json(
                200,
                "{\"id\":\"task-1\",\"status\":\"Ready\",\"result\":{\"sample\":"
                        + "\"http://cdn.example.org/img.png?sig=abc\"}}"));

        TaskOutcome outcome = runOne();

        assertThat(outcome).isInstanceOf(TaskOutcome.DownloadFailed.class);
        assertThat(outcome.message())
                .contains("plain http", "http://cdn.example.org/img.png")
                .doesNotContain("sig=");
    }
}
