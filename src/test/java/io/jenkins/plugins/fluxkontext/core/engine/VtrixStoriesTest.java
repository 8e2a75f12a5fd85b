package io.jenkins.plugins.fluxkontext.core.engine;

import static io.jenkins.plugins.fluxkontext.core.engine.FakeGateway.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.fluxkontext.core.TestImages;
import io.jenkins.plugins.fluxkontext.core.model.InputImage;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderDialect;
import io.jenkins.plugins.fluxkontext.core.provider.vtrix.VtrixDialect;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Vtrix through the engine, on a fake Vtrix. It takes every field BFL takes: nothing to refuse. */
class VtrixStoriesTest extends GatewayStory {

    @TempDir
    Path inputs;

    @Override
    ProviderDialect dialect() {
        return new VtrixDialect();
    }

    private MockResponse task(String status, String extra) {
        return json(
                200,
                "{\"id\":\"vt-1\",\"status\":\"" + status + "\",\"model\":\"flux_kontext_max\","
                        + "\"created_at\":1760000000" + extra + "}");
    }

    @Test
    void aTaskRunsToCompletedAndReportsWhatItCost() throws Exception {
        Path photo = inputs.resolve("photo.png");
        byte[] bytes = TestImages.png(4, 4);
        Files.write(photo, bytes);
        gateway.on("POST", "/model/v1/generation", task("pending", ",\"progress\":0"));
        gateway.on(
                "GET",
                "/model/v1/generation/task/vt-1",
                task("processing", ",\"progress\":0.5"),
                task(
                        "completed",
                        ",\"progress\":1.0,\"output\":[{\"content\":[{\"type\":\"image\",\"url\":\""
                                + gateway.imageUrl("v.png") + "\"}]}],\"usage\":{\"cost\":\"0.08\",\"discount\":\"0\","
                                + "\"quantity\":1,\"unit_price\":\"0.08\"},\"error\":null,\"metadata\":{}"));

        TaskOutcome outcome = runOne(prompt().inputImage(new InputImage.LocalFile(photo))
                .aspectRatio("3:7")
                .seed(3L)
                .build());

        assertThat(outcome).isInstanceOf(TaskOutcome.Succeeded.class);
        assertThat(((TaskOutcome.Succeeded) outcome).cost().usd()).isEqualByComparingTo(new BigDecimal("0.08"));
        assertThat(((TaskOutcome.Succeeded) outcome).cost().source()).isEqualTo("provider");
        assertThat(imageFiles()).containsExactly("flux-kontext-1.png");
        JsonNode body = body(gateway.requests("POST", "/model/v1/generation").get(0));
        assertThat(body.get("model").asText()).isEqualTo("flux_kontext_max");
        JsonNode params = body.at("/input/0/params");
        assertThat(params.get("input_image").asText())
                .isEqualTo(Base64.getEncoder().encodeToString(bytes));
        assertThat(params.get("aspect_ratio").asText()).isEqualTo("3:7");
        assertThat(params.get("seed").asLong()).isEqualTo(3);
        assertThat(params.get("output_format").asText()).isEqualTo("png");
        assertThat(params.has("steps")).isFalse();
    }

    @Test
    void aFailedTaskFailsWithItsErrorObjectOrString() throws Exception {
        gateway.on("POST", "/model/v1/generation", task("pending", ""));
        gateway.on(
                "GET",
                "/model/v1/generation/task/vt-1",
                task("failed", ",\"error\":{\"code\":\"002014001\",\"message\":\"generation failed\"}"));

        TaskOutcome outcome = runOne(prompt().build());

        assertThat(outcome).isInstanceOf(TaskOutcome.Failed.class);
        assertThat(outcome.message()).contains("002014001", "generation failed");
    }

    @Test
    void moderationIsUndocumentedAndArrivesAsAFailureWithTheProvidersWords() throws Exception {
        gateway.on("POST", "/model/v1/generation", task("pending", ""));
        gateway.on(
                "GET",
                "/model/v1/generation/task/vt-1",
                task("failed", ",\"error\":\"content moderated: Request Moderated\""));

        TaskOutcome outcome = runOne(prompt().build());

        assertThat(outcome).isInstanceOf(TaskOutcome.Failed.class);
        assertThat(outcome.message()).contains("Request Moderated");
    }
}
