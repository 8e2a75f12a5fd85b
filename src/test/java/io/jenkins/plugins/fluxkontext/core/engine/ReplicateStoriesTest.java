package io.jenkins.plugins.fluxkontext.core.engine;

import static io.jenkins.plugins.fluxkontext.core.engine.FakeGateway.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.fluxkontext.core.TestImages;
import io.jenkins.plugins.fluxkontext.core.model.InputImage;
import io.jenkins.plugins.fluxkontext.core.model.InvalidRequestException;
import io.jenkins.plugins.fluxkontext.core.model.OutputFormat;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderDialect;
import io.jenkins.plugins.fluxkontext.core.provider.replicate.ReplicateDialect;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replicate's predictions API through the engine, on a fake Replicate. */
class ReplicateStoriesTest extends GatewayStory {

    @TempDir
    Path inputs;

    @Override
    ProviderDialect dialect() {
        return new ReplicateDialect();
    }

    private String prediction(String status, String extra) {
        String get = gateway.url("/v1/predictions/p-1");
        return "{\"id\":\"p-1\",\"model\":\"black-forest-labs/flux-kontext-max\",\"version\":\"hidden\",\"input\":{},"
                + "\"logs\":\"\",\"data_removed\":false,\"status\":\"" + status + "\",\"created_at\":"
                + "\"2026-01-15T10:00:00Z\",\"urls\":{\"get\":\"" + get + "\",\"cancel\":\"" + get + "/cancel\","
                + "\"stream\":\"https://stream.replicate.com/v1/files/x\",\"web\":\"https://replicate.com/p/p-1\"}"
                + extra + "}";
    }

    private MockResponse answer(String status, String extra) {
        return json(status.equals("starting") ? 201 : 200, prediction(status, extra));
    }

    @Test
    void aPredictionFinishedWhileTheSubmitWaitedIsDownloadedWithoutAPoll() throws Exception {
        gateway.on(
                "POST",
                "/v1/models/black-forest-labs/flux-kontext-max/predictions",
                answer("succeeded", ",\"output\":\"" + gateway.imageUrl("out.png") + "\",\"error\":null"));

        TaskOutcome outcome = runOne(prompt().aspectRatio("4:5").seed(9L).build());

        assertThat(outcome).isInstanceOf(TaskOutcome.Succeeded.class);
        assertThat(imageFiles()).containsExactly("flux-kontext-1.png");
        RecordedRequest submit = gateway.requests("POST", "/v1/models/").get(0);
        assertThat(submit.getHeaders().get("Prefer")).isEqualTo("wait=60");
        JsonNode input = body(submit).get("input");
        assertThat(input.get("aspect_ratio").asText()).isEqualTo("4:5");
        assertThat(input.get("seed").asLong()).isEqualTo(9);
        assertThat(input.get("output_format").asText()).isEqualTo("png");
        assertThat(gateway.count("GET", "/v1/predictions/"))
                .as("no poll needed")
                .isZero();
    }

    @Test
    void aPredictionStillStartingIsPolledAtUrlsGetUntilItSucceeds() throws Exception {
        Path photo = inputs.resolve("photo.png");
        byte[] bytes = TestImages.png(4, 4);
        Files.write(photo, bytes);
        gateway.on("POST", "/v1/models/", answer("starting", ",\"output\":null,\"error\":null"));
        gateway.on(
                "GET",
                "/v1/predictions/p-1",
                answer("processing", ",\"output\":null"),
                answer("succeeded", ",\"output\":\"" + gateway.imageUrl("out.jpg") + "\""));
        gateway.on("GET", "/files/out.jpg", FakeGateway.image(TestImages.jpeg(8, 6)));

        TaskOutcome outcome = runOne(prompt().inputImage(new InputImage.LocalFile(photo))
                .outputFormat(OutputFormat.JPEG)
                .build());

        assertThat(outcome).isInstanceOf(TaskOutcome.Succeeded.class);
        assertThat(imageFiles()).containsExactly("flux-kontext-1.jpg");
        JsonNode input = body(gateway.requests("POST", "/v1/models/").get(0)).get("input");
        assertThat(input.get("output_format").asText())
                .as("Replicate spells it jpg")
                .isEqualTo("jpg");
        assertThat(input.get("input_image").asText())
                .isEqualTo("data:image/png;base64," + Base64.getEncoder().encodeToString(bytes));
        assertThat(gateway.count("GET", "/v1/predictions/p-1")).isEqualTo(2);
    }

    @Test
    void aFailureFlaggedAsSensitiveIsModeration() throws Exception {
        gateway.on("POST", "/v1/models/", answer("starting", ""));
        gateway.on(
                "GET",
                "/v1/predictions/p-1",
                answer(
                        "failed",
                        ",\"output\":null,\"error\":\"Prediction failed: "
                                + "Your input or output was flagged as sensitive. Please try again with different inputs. (E005)\""));

        TaskOutcome outcome = runOne(prompt().build());

        assertThat(outcome).isInstanceOf(TaskOutcome.Moderated.class);
        assertThat(((TaskOutcome.Moderated) outcome).side()).isEqualTo(TaskOutcome.ModerationSide.UNKNOWN);
        assertThat(outcome.message()).contains("flagged as sensitive");
    }

    @Test
    void anyOtherFailureFailsWithItsErrorCode() throws Exception {
        gateway.on("POST", "/v1/models/", answer("starting", ""));
        gateway.on("GET", "/v1/predictions/p-1", answer("failed", ",\"error\":\"CUDA out of memory (E1001)\""));

        TaskOutcome outcome = runOne(prompt().build());

        assertThat(outcome).isInstanceOf(TaskOutcome.Failed.class);
        assertThat(outcome.message()).contains("(E1001)", "CUDA out of memory");
    }

    @Test
    void aCanceledPredictionIsCancelledAtTheProvider() throws Exception {
        gateway.on("POST", "/v1/models/", answer("starting", ""));
        gateway.on("GET", "/v1/predictions/p-1", answer("canceled", ""));

        TaskOutcome outcome = runOne(prompt().build());

        assertThat(outcome).isInstanceOf(TaskOutcome.Cancelled.class);
        assertThat(((TaskOutcome.Cancelled) outcome).cancelledRemotely()).isTrue();
    }

    @Test
    void fieldsReplicateCannotHonourAreRefusedBeforeAnyCall() {
        assertThatThrownBy(() -> run(prompt().safetyTolerance(4)
                        .aspectRatio("5:3")
                        .inputImage(new InputImage.RemoteUrl(URI.create("https://example.com/a.png")))
                        .inputImage(new InputImage.RemoteUrl(URI.create("https://example.com/b.png")))
                        .build()))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("Replicate takes at most 1 input image")
                .hasMessageContaining("safetyTolerance: \"4\" is not allowed; Replicate allows at most 2 with an input")
                .hasMessageContaining("aspectRatio: \"5:3\"");
        assertThat(gateway.requests()).isEmpty();
    }
}
