package io.jenkins.plugins.fluxkontext.core.engine;

import static io.jenkins.plugins.fluxkontext.core.harness.ScriptedBfl.json;
import static io.jenkins.plugins.fluxkontext.core.harness.ScriptedBfl.pending;
import static io.jenkins.plugins.fluxkontext.core.harness.ScriptedBfl.status;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.fluxkontext.core.TestImages;
import io.jenkins.plugins.fluxkontext.core.harness.ScriptedBfl;
import io.jenkins.plugins.fluxkontext.core.model.ImageType;
import io.jenkins.plugins.fluxkontext.core.model.InputImage;
import io.jenkins.plugins.fluxkontext.core.model.OutputFormat;
import io.jenkins.plugins.fluxkontext.core.task.Billing;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each status BFL can answer, and what the user gets for it. */
class BflStatusStoriesTest extends EngineStory {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path inputs;

    @Test
    void pendingThenReadyWritesTheImageWithItsSidecarAndManifest() throws Exception {
        bfl.onPoll(pending(0.0), pending(0.4), bfl.ready("task-1"));

        GenerationResult result = run(prompt().seed(41L).build());

        TaskOutcome.Succeeded done = (TaskOutcome.Succeeded) result.outcomes().get(0);
        assertThat(done.taskId()).isEqualTo("task-1");
        assertThat(done.seed()).as("the seed BFL reports").isEqualTo(777L);
        assertThat(done.cost().usd()).as("8 credits at $0.01").isEqualByComparingTo(new BigDecimal("0.08"));
        assertThat(imageFiles()).containsExactly("flux-kontext-1.png");
        byte[] written = Files.readAllBytes(out.resolve("flux-kontext-1.png"));
        assertThat(ImageType.sniff(written)).isEqualTo(ImageType.PNG);
        assertThat(done.images().get(0).sidecar()).exists();
        assertThat(result.manifest()).exists();
        assertThat(bfl.submits()).isEqualTo(1);
        assertThat(bfl.polls()).isEqualTo(3);
        assertThat(events(ProgressEvent.StatusChanged.class))
                .extracting(ProgressEvent.StatusChanged::status)
                .containsExactly("Pending", "Ready");
        assertThat(events(ProgressEvent.Progress.class))
                .extracting(ProgressEvent.Progress::percent)
                .containsExactly(0, 40);
        assertThat(events).first().isInstanceOf(ProgressEvent.Submitted.class);
        assertThat(events).last().isInstanceOf(ProgressEvent.Finished.class);
        assertThat(events(ProgressEvent.Downloaded.class)).hasSize(1);
    }

    @Test
    void theKeyGoesToTheApiButNeverToTheImageHost() throws Exception {
        runOne();

        for (RecordedRequest request : bfl.requests()) {
            String path = request.getUrl().encodedPath();
            if (path.startsWith("/v1/")) {
                assertThat(request.getHeaders().get("x-key")).as(path).isEqualTo(KEY);
            } else {
                assertThat(request.getHeaders().get("x-key")).as(path).isNull();
            }
        }
        assertThat(bfl.downloads()).isEqualTo(1);
    }

    @Test
    void theSubmitCarriesEveryFieldOfAnEditAndTheFormatExplicitly() throws Exception {
        Path photo = inputs.resolve("photo.png");
        byte[] photoBytes = TestImages.png(4, 4);
        Files.write(photo, photoBytes);
        bfl.onDownload(ScriptedBfl.image(TestImages.jpeg(8, 6)));

        TaskOutcome outcome = run(prompt().inputImage(new InputImage.LocalFile(photo))
                        .inputImage(new InputImage.RemoteUrl(URI.create("https://example.com/ref.webp")))
                        .aspectRatio("16:9")
                        .seed(5L)
                        .outputFormat(OutputFormat.JPEG)
                        .safetyTolerance(4)
                        .promptUpsampling(true)
                        .build())
                .outcomes()
                .get(0);

        assertThat(outcome.succeeded()).isTrue();
        RecordedRequest submit = bfl.requests().get(0);
        assertThat(submit.getUrl().encodedPath()).isEqualTo("/v1/flux-kontext-max");
        JsonNode body = JSON.readTree(text(submit));
        assertThat(body.get("prompt").asText()).isEqualTo("A red fox reading a newspaper, watercolour");
        assertThat(body.get("input_image").asText())
                .as("raw base64, no data: prefix")
                .isEqualTo(Base64.getEncoder().encodeToString(photoBytes));
        assertThat(body.get("input_image_2").asText()).isEqualTo("https://example.com/ref.webp");
        assertThat(body.get("aspect_ratio").asText()).isEqualTo("16:9");
        assertThat(body.get("seed").asLong()).isEqualTo(5);
        assertThat(body.get("output_format").asText()).isEqualTo("jpeg");
        assertThat(body.get("safety_tolerance").asInt()).isEqualTo(4);
        assertThat(body.get("prompt_upsampling").asBoolean()).isTrue();
        assertThat(imageFiles()).containsExactly("flux-kontext-1.jpg");
    }

    @Test
    void anErrorStatusFailsTheTaskWithTheProvidersDetailsWithoutTheKey() throws Exception {
        bfl.onPoll(
                pending(0.1),
                json(
                        200,
                        "{\"id\":\"task-1\",\"status\":\"Error\",\"result\":null,"
                                + "\"details\":{\"message\":\"GPU worker crashed for key " + KEY + "\"}}"));

        TaskOutcome outcome = runOne();

        assertThat(outcome).isInstanceOf(TaskOutcome.Failed.class);
        assertThat(outcome.taskId()).isEqualTo("task-1");
        assertThat(outcome.message()).contains("task-1", "GPU worker crashed").doesNotContain(KEY);
        assertThat(bfl.downloads()).isZero();
        assertThat(imageFiles()).isEmpty();
    }

    @Test
    void aModeratedRequestIsNamedAsSuchAndNotBilled() throws Exception {
        bfl.onPoll(json(
                200,
                "{\"id\":\"task-1\",\"status\":\"Request Moderated\",\"result\":null,"
                        + "\"details\":{\"Moderation Reasons\":[\"Derivative Works Filter\"]}}"));

        TaskOutcome outcome = runOne();

        TaskOutcome.Moderated moderated = (TaskOutcome.Moderated) outcome;
        assertThat(moderated.side()).isEqualTo(TaskOutcome.ModerationSide.REQUEST);
        assertThat(moderated.reasons()).containsExactly("Derivative Works Filter");
        assertThat(moderated.billing()).isEqualTo(Billing.NOT_BILLED);
        assertThat(outcome.message()).contains("task-1", "before generation", "Derivative Works Filter");
        assertThat(bfl.polls()).as("terminal at once").isEqualTo(1);
    }

    @Test
    void moderatedContentIsTheOutputSide() throws Exception {
        bfl.onPoll(pending(0.5), status("Content Moderated"));

        TaskOutcome.Moderated moderated = (TaskOutcome.Moderated) runOne();

        assertThat(moderated.side()).isEqualTo(TaskOutcome.ModerationSide.OUTPUT);
        assertThat(moderated.billing()).isEqualTo(Billing.NOT_BILLED);
        assertThat(imageFiles()).isEmpty();
    }

    @Test
    void aTaskTheProviderNoLongerKnowsIsNotFound() throws Exception {
        bfl.onPoll(status("Task not found"));

        TaskOutcome outcome = runOne();

        assertThat(outcome).isInstanceOf(TaskOutcome.NotFound.class);
        assertThat(outcome.message()).contains("task-1", "unknown to the provider or has expired");
    }

    @Test
    void anUnknownStatusFailsLoudlyInsteadOfPollingForever() throws Exception {
        bfl.onPoll(pending(0.2), status("Reasoning"));

        TaskOutcome outcome = runOne();

        assertThat(outcome).isInstanceOf(TaskOutcome.Failed.class);
        assertThat(outcome.message()).contains("task-1", "\"Reasoning\"");
        assertThat(bfl.polls()).isEqualTo(2);
    }

    @Test
    void aTaskThatNeverFinishesTimesOutWithItsId() throws Exception {
        engine.close();
        engine = engine(GenerationEngine.builder().totalTimeout(Duration.ofSeconds(30)));
        bfl.onPoll(pending(0.1));

        TaskOutcome outcome = runOne();

        assertThat(outcome).isInstanceOf(TaskOutcome.TimedOut.class);
        assertThat(outcome.taskId()).isEqualTo("task-1");
        assertThat(outcome.billing()).isEqualTo(Billing.MAYBE_BILLED);
        // Stuck at 10 %: by its progress the task is far from done, so the waits grow to the schedule's 10 s ceiling.
        assertThat(bfl.polls()).as("the schedule backs off; no busy polling").isBetween(3L, 200L);
    }
}
