package io.jenkins.plugins.fluxkontext.core.faults;

import static io.jenkins.plugins.fluxkontext.core.harness.ScriptedBfl.json;
import static io.jenkins.plugins.fluxkontext.core.harness.ScriptedBfl.readyAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.fluxkontext.core.engine.GenerationAbortedException;
import io.jenkins.plugins.fluxkontext.core.engine.GenerationEngine;
import io.jenkins.plugins.fluxkontext.core.engine.GenerationResult;
import io.jenkins.plugins.fluxkontext.core.harness.BackgroundBuild;
import io.jenkins.plugins.fluxkontext.core.harness.ScriptedBfl;
import io.jenkins.plugins.fluxkontext.core.model.InvalidRequestException;
import io.jenkins.plugins.fluxkontext.core.output.OutputPlan;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Row S-06 of docs/reliability.md: the key appears in no log line, exception, file or returned value, however a run
 * ends, driven by a provider that echoes the key (and its header form) in every error body and hands out result URLs
 * with signatures. After each story, everything a user could ever read is searched: the build log (progress lines and
 * summary), each outcome's message and printed form, every exception with its causes and stack trace, and every file
 * written (images, sidecars, manifest).
 */
class SecretLeakTest extends FaultStage {

    private static final String HEADER_FORM = "x-key: " + KEY;
    /** What the provider says back when it is being careless: the key, bare and as the header it arrived in. */
    private static final String ECHO = "rejected request with " + HEADER_FORM + " (key " + KEY + ")";

    private final List<String> seen = new ArrayList<>();

    @AfterEach
    void neitherTheKeyNorItsHeaderNorASignatureIsAnywhere() throws Exception {
        List<String> everything = new ArrayList<>(log);
        everything.addAll(seen);
        try (Stream<Path> files = Files.walk(out)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                everything.add(file + "\n" + new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
            }
        }
        assertThat(everything).isNotEmpty();
        assertThat(everything)
                .noneMatch(text -> text.contains(KEY))
                .noneMatch(text -> text.contains(HEADER_FORM))
                .noneMatch(text -> text.contains(ScriptedBfl.SIGNATURE));
    }

    private TaskOutcome story() throws InterruptedException {
        return story(OutputPlan.into(out));
    }

    /** Runs one task and keeps every text the result offers: messages, printed records, the result itself. */
    private TaskOutcome story(OutputPlan plan) throws InterruptedException {
        GenerationResult result = run(job(prompt().build(), plan));
        seen.add(result.toString());
        result.warnings().forEach(seen::add);
        for (TaskOutcome outcome : result.outcomes()) {
            seen.add(outcome.message());
            seen.add(outcome.toString());
        }
        return result.outcomes().get(0);
    }

    private void keep(Throwable thrown) {
        StringWriter trace = new StringWriter();
        thrown.printStackTrace(new PrintWriter(trace));
        seen.add(trace.toString());
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            seen.add(t.toString());
            seen.add(String.valueOf(t.getMessage()));
        }
    }

    // ---- each ending -----------------------------------------------------------------------------------------

    @Test
    void succeededWithASignedResultUrlThatEvenCarriesTheKey() throws Exception {
        bfl.onPoll((id, n) -> readyAt(id, bfl.imageUrl(id) + "&x-key=" + KEY));

        TaskOutcome outcome = story();

        assertThat(outcome).isInstanceOf(TaskOutcome.Succeeded.class);
        assertThat(filesInOutput()).contains("flux-kontext-1.png.json", "flux-kontext-manifest.json");
    }

    @Test
    void failedWithAnErrorStatusWhoseDetailsEchoTheKey() throws Exception {
        bfl.onPoll((id, n) -> json(200, "{\"status\":\"Error\",\"details\":{\"message\":\"" + ECHO + "\"}}"));

        TaskOutcome outcome = story();

        assertThat(outcome).isInstanceOf(TaskOutcome.Failed.class);
        assertThat(outcome.message()).contains("x-key: ****");
    }

    @Test
    void failedWithAStatusNameThatIsTheKey() throws Exception {
        bfl.onPoll((id, n) -> json(200, "{\"status\":\"" + KEY + "\"}"));

        assertThat(story()).isInstanceOf(TaskOutcome.Failed.class);
    }

    @Test
    void failedWhenStatusAnswersStayUnreadableAndEchoTheKey() throws Exception {
        bfl.onPoll((id, n) -> json(200, "<html>" + ECHO + "</html>"));

        TaskOutcome outcome = story();

        assertThat(outcome).isInstanceOf(TaskOutcome.Failed.class);
        assertThat(log).anyMatch(line -> line.contains("retrying") && line.contains("****"));
    }

    @Test
    void failedWhenTheStatusRequestIsRefusedWithTheKeyInTheBody() throws Exception {
        bfl.onPoll((id, n) -> json(403, "{\"detail\":\"" + ECHO + "\"}"));

        TaskOutcome outcome = story();

        assertThat(outcome).isInstanceOf(TaskOutcome.Failed.class);
        assertThat(outcome.message()).contains("****");
    }

    @Test
    void moderatedWithReasonsThatEchoTheKey() throws Exception {
        bfl.onPoll((id, n) -> json(
                200, "{\"status\":\"Content Moderated\",\"details\":{\"Moderation Reasons\":[\"" + ECHO + "\"]}}"));

        TaskOutcome outcome = story();

        assertThat(outcome).isInstanceOf(TaskOutcome.Moderated.class);
        assertThat(outcome.message()).contains("****");
    }

    @Test
    void notFoundWithABodyThatEchoesTheKey() throws Exception {
        bfl.onPoll((id, n) -> json(404, "{\"detail\":\"" + ECHO + "\"}"));

        TaskOutcome outcome = story();

        assertThat(outcome).isInstanceOf(TaskOutcome.NotFound.class);
        assertThat(outcome.message()).contains("****");
    }

    @Test
    void downloadFailedWhenTheSignedLinkIsRefusedWithTheKeyInTheBody() throws Exception {
        MockResponse refused = json(403, "<Error><Message>" + ECHO + "</Message></Error>");
        bfl.onDownload(refused, refused);

        TaskOutcome outcome = story();

        assertThat(outcome).isInstanceOf(TaskOutcome.DownloadFailed.class);
        assertThat(outcome.message()).contains("/delivery/task-1/sample.png");
    }

    @Test
    void downloadFailedWhenAnHtmlPageEchoingTheKeyArrivesInsteadOfTheImage() throws Exception {
        bfl.onDownload(new MockResponse.Builder()
                .setHeader("Content-Type", "image/png")
                .body("<html>" + ECHO)
                .build());

        assertThat(story()).isInstanceOf(TaskOutcome.DownloadFailed.class);
    }

    @Test
    void timedOutWhileTheTaskStayedPending() throws Exception {
        replaceEngine(GenerationEngine.builder().totalTimeout(Duration.ofSeconds(20)));
        bfl.onPoll((id, n) -> json(200, "{\"status\":\"Pending\",\"progress\":0.1,\"note\":\"" + ECHO + "\"}"));

        assertThat(story()).isInstanceOf(TaskOutcome.TimedOut.class);
    }

    @Test
    void submitAmbiguousAfterAServerErrorThatEchoesTheKey() throws Exception {
        bfl.onSubmit(json(502, "{\"detail\":\"" + ECHO + "\"}"));

        TaskOutcome outcome = story();

        assertThat(outcome).isInstanceOf(TaskOutcome.SubmitAmbiguous.class);
        assertThat(outcome.message()).contains("****");
    }

    @Test
    void submitAmbiguousAfterAnUnreadableAcceptanceThatEchoesTheKey() throws Exception {
        bfl.onSubmit(json(200, "{\"id\":\"" + KEY + "\",\"note\":\"" + ECHO + "\"}"));

        TaskOutcome outcome = story();

        assertThat(outcome).isInstanceOf(TaskOutcome.SubmitAmbiguous.class);
    }

    @Test
    void succeededWhenTheProviderNamesTheTaskWithTheKey() throws Exception {
        bfl.onSubmit(
                json(200, "{\"id\":\"" + KEY + "\",\"polling_url\":\"" + server.url("/v1/get_result?id=k") + "\"}"));

        TaskOutcome outcome = story();

        assertThat(outcome).isInstanceOf(TaskOutcome.Succeeded.class);
    }

    @Test
    void submitAmbiguousWhenTheConnectionDropsAfterTheRequest() throws Exception {
        bfl.onSubmit(new MockResponse.Builder()
                .onResponseStart(new SocketEffect.CloseSocket(true, false, false))
                .build());

        assertThat(story()).isInstanceOf(TaskOutcome.SubmitAmbiguous.class);
    }

    @Test
    void rejectedWhenTheKeyIsRefusedAndEchoed() throws Exception {
        bfl.onSubmit(json(401, "{\"detail\":\"" + ECHO + "\"}"));

        TaskOutcome outcome = story();

        assertThat(outcome).isInstanceOf(TaskOutcome.Rejected.class);
        assertThat(outcome.message()).contains("x-key: ****");
    }

    @Test
    void rejectedWhenAFieldErrorQuotesTheKeyHeader() throws Exception {
        bfl.onSubmit(json(422, "{\"detail\":[{\"loc\":[\"header\",\"x-key\"],\"msg\":\"" + ECHO + "\"}]}"));

        assertThat(story()).isInstanceOf(TaskOutcome.Rejected.class);
    }

    @Test
    void rejectedForRateLimitsWithTheKeyInEveryAnswer() throws Exception {
        // A wait beyond the deadline ends the submit at once, the provider's words in the message.
        MockResponse limited = new MockResponse.Builder()
                .code(429)
                .setHeader("Retry-After", "100000")
                .body("{\"detail\":\"" + ECHO + "\"}")
                .build();
        bfl.onSubmit(limited);

        TaskOutcome outcome = story();

        assertThat(outcome).isInstanceOf(TaskOutcome.Rejected.class);
        assertThat(outcome.message()).contains("****");
    }

    @Test
    void notSubmittedWhenTheProviderCannotBeReached() throws Exception {
        server.close();

        assertThat(story()).isInstanceOf(TaskOutcome.NotSubmitted.class);
    }

    // ---- endings without an outcome: validation and abort ------------------------------------------------

    @Test
    void aValidationErrorBeforeAnythingIsSent() throws Exception {
        Files.write(out.resolve("flux-kontext-1.png"), ScriptedBfl.PNG);

        assertThatThrownBy(this::story)
                .isInstanceOf(InvalidRequestException.class)
                .satisfies(this::keep);
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void cancelledByAnAbortWhileTheStatusRequestHangs() throws Exception {
        bfl.onPoll((id, n) -> new MockResponse.Builder()
                .onResponseStart(SocketEffect.Stall.INSTANCE)
                .build());
        BackgroundBuild build = BackgroundBuild.start(this::story);
        waitUntil(() -> bfl.polls() >= 1);

        GenerationAbortedException aborted = build.interruptAndJoin();
        keep(aborted);
        aborted.result().outcomes().forEach(o -> seen.add(o.message() + "\n" + o));
        assertThat(aborted.result().outcomes()).singleElement().isInstanceOf(TaskOutcome.Cancelled.class);
    }
}
