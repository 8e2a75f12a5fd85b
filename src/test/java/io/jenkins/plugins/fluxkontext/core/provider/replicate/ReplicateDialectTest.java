package io.jenkins.plugins.fluxkontext.core.provider.replicate;

import static io.jenkins.plugins.fluxkontext.core.provider.DialectContract.KEY;
import static io.jenkins.plugins.fluxkontext.core.provider.DialectContract.reply;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
import io.jenkins.plugins.fluxkontext.core.model.InputImage;
import io.jenkins.plugins.fluxkontext.core.provider.DialectContract;
import io.jenkins.plugins.fluxkontext.core.provider.PollOutcome;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderEndpoint;
import io.jenkins.plugins.fluxkontext.core.provider.TaskSpec;
import io.jenkins.plugins.fluxkontext.core.task.TaskHandle;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome.ModerationSide;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

/** Replicate's predictions contract (replicate.com/docs/reference/http), without a network. */
class ReplicateDialectTest {

    private final ReplicateDialect replicate = new ReplicateDialect();
    private final ProviderEndpoint endpoint = ProviderEndpoint.defaultFor(replicate);
    private final TaskHandle handle = new TaskHandle(
            "replicate",
            "p-1",
            "https://api.replicate.com/v1/predictions/p-1",
            null,
            "https://api.replicate.com/v1/predictions/p-1/cancel",
            1,
            1,
            Instant.EPOCH);

    @Test
    void submitsToTheOfficialModelAndHoldsTheAnswer() throws Exception {
        var submit = replicate.submitRequest(
                new TaskSpec(1, 1, 1, null),
                GenerationRequest.builder()
                        .prompt("p")
                        .model("flux-kontext-pro")
                        .build(),
                endpoint,
                KEY);
        assertThat(submit.url().toString())
                .isEqualTo("https://api.replicate.com/v1/models/black-forest-labs/flux-kontext-pro/predictions");
        assertThat(submit.header("Prefer")).isEqualTo("wait=60");
        assertThat(replicate.submitHold()).as("Replicate holds up to 60 s").isEqualTo(Duration.ofSeconds(60));
        assertThat(DialectContract.json(submit).at("/input/prompt").asText()).isEqualTo("p");
    }

    @Test
    void aStartingPredictionIsPolledAtUrlsGetAndAFinishedOneIsSettled() throws Exception {
        var starting = replicate.readSubmitted(
                new TaskSpec(1, 1, 1, null),
                reply(
                        201,
                        "{\"id\":\"p-1\",\"status\":"
                                + "\"starting\",\"urls\":{\"get\":\"https://api.replicate.com/v1/predictions/p-1\",\"cancel\":"
                                + "\"https://api.replicate.com/v1/predictions/p-1/cancel\"}}"),
                endpoint,
                Instant.EPOCH);
        assertThat(starting.handle()).isEqualTo(handle);
        assertThat(starting.settled()).isNull();
        assertThat(endpoint.mayReceiveKey(HttpUrl.get(handle.pollingUrl()))).isTrue();

        var done = replicate.readSubmitted(
                new TaskSpec(1, 1, 1, null),
                reply(
                        201,
                        "{\"id\":\"p-2\",\"status\":"
                                + "\"succeeded\",\"output\":\"https://replicate.delivery/x/out.png\"}"),
                endpoint,
                Instant.EPOCH);
        assertThat(done.handle().pollingUrl())
                .as("built when urls is missing")
                .isEqualTo("https://api.replicate.com/v1/predictions/p-2");
        assertThat(((PollOutcome.Ready) done.settled()).imageUrls())
                .containsExactly("https://replicate.delivery/x/out.png");
    }

    /**
     * "For models that produce files as output, Replicate will respond with the files as soon as they are all
     * available. In this instance, the output field will contain all file outputs but status may still be in
     * processing" (replicate.com/docs/topics/predictions/create-a-prediction): a held answer with its file is settled.
     */
    @Test
    void aHeldAnswerStillProcessingButWithItsFileIsSettled() throws Exception {
        var withFile = replicate.readSubmitted(
                new TaskSpec(1, 1, 1, null),
                reply(
                        201,
                        "{\"id\":\"p-3\",\"status\":\"processing\","
                                + "\"output\":\"https://replicate.delivery/x/out.png\"}"),
                endpoint,
                Instant.EPOCH);
        assertThat(((PollOutcome.Ready) withFile.settled()).imageUrls())
                .containsExactly("https://replicate.delivery/x/out.png");

        var without = replicate.readSubmitted(
                new TaskSpec(1, 1, 1, null),
                reply(201, "{\"id\":\"p-4\",\"status\":\"processing\",\"output\":null}"),
                endpoint,
                Instant.EPOCH);
        assertThat(without.settled()).as("held a minute, still working: polled").isNull();
    }

    @Test
    void everyStatus() throws Exception {
        assertThat(replicate.readPoll(handle, reply(200, "{\"status\":\"starting\"}")))
                .isInstanceOf(PollOutcome.Running.class);
        assertThat(replicate.readPoll(handle, reply(200, "{\"status\":\"processing\"}")))
                .isInstanceOf(PollOutcome.Running.class);
        assertThat(replicate.readPoll(
                        handle,
                        reply(
                                200,
                                "{\"status\":\"succeeded\",\"output\":" + "[\"https://replicate.delivery/a.png\"]}")))
                .isInstanceOf(PollOutcome.Ready.class);
        assertThat(replicate.readPoll(
                        handle, reply(200, "{\"status\":\"succeeded\",\"output\":null," + "\"data_removed\":true}")))
                .isInstanceOf(PollOutcome.NotFound.class);
        var moderated = (PollOutcome.Moderated) replicate.readPoll(
                handle,
                reply(
                        200,
                        "{\"status\":\"failed\","
                                + "\"error\":\"Prediction failed: input or output was flagged as sensitive (E005)\"}"));
        assertThat(moderated.side()).isEqualTo(ModerationSide.UNKNOWN);
        assertThat(replicate.readPoll(handle, reply(200, "{\"status\":\"failed\",\"error\":\"E005\"}")))
                .isInstanceOf(PollOutcome.Moderated.class);
        var failed = (PollOutcome.Failed) replicate.readPoll(
                handle, reply(200, "{\"status\":\"failed\",\"error\":" + "\"timed out starting (E6716)\"}"));
        assertThat(failed.code()).isEqualTo("E6716");
        assertThat(replicate.readPoll(handle, reply(200, "{\"status\":\"canceled\"}")))
                .isInstanceOf(PollOutcome.Cancelled.class);
        assertThat(replicate.readPoll(handle, reply(200, "{\"status\":\"aborted\"}")))
                .isInstanceOf(PollOutcome.Failed.class);
        assertThat(replicate.readPoll(handle, reply(404, "{\"detail\":\"Not found.\"}")))
                .isInstanceOf(PollOutcome.NotFound.class);
    }

    @Test
    void cancelIsAPostToUrlsCancel() {
        var cancel = replicate.cancelRequest(handle, endpoint, KEY);
        assertThat(cancel.method()).isEqualTo("POST");
        assertThat(cancel.url().toString()).isEqualTo("https://api.replicate.com/v1/predictions/p-1/cancel");
        assertThat(cancel.header("Authorization")).isEqualTo("Bearer " + KEY.reveal());
    }

    @Test
    void safetyAboveTwoIsAllowedWithoutAnInputImageOnly() {
        assertThat(replicate.unsupported(GenerationRequest.builder()
                        .prompt("p")
                        .safetyTolerance(6)
                        .build()))
                .isEmpty();
        assertThat(replicate.unsupported(GenerationRequest.builder()
                        .prompt("p")
                        .safetyTolerance(3)
                        .inputImage(new InputImage.RemoteUrl(URI.create("https://x.example/a.png")))
                        .build()))
                .singleElement()
                .satisfies(v -> assertThat(v.field()).isEqualTo("safetyTolerance"));
        assertThat(replicate.unsupported(GenerationRequest.builder()
                        .prompt("p")
                        .aspectRatio("2:1")
                        .build()))
                .isEmpty();
    }
}
