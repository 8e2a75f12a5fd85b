package io.jenkins.plugins.fluxkontext.core.engine;

import static io.jenkins.plugins.fluxkontext.core.engine.FakeGateway.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.fluxkontext.core.model.InputImage;
import io.jenkins.plugins.fluxkontext.core.model.InvalidRequestException;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderDialect;
import io.jenkins.plugins.fluxkontext.core.provider.fal.RunflowDialect;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;
import java.net.URI;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Runflow's runs API with fal's Kontext input through the engine, on a fake Runflow. */
class RunflowStoriesTest extends GatewayStory {

    @Override
    ProviderDialect dialect() {
        return new RunflowDialect();
    }

    @BeforeEach
    void acceptRuns() {
        gateway.on(
                "POST",
                "/v1/models/black-forest-labs/flux-pro/kontext/",
                (r, n) -> json(200, "{\"id\":\"run_" + n + "\",\"status_code\":\"queued\"}"));
    }

    private MockResponse run(String status, String extra) {
        return json(200, "{\"id\":\"run_1\",\"status_code\":\"" + status + "\"" + extra + "}");
    }

    @Test
    void anEditRunsFromQueuedToSucceededAndTheImageIsOnDisk() throws Exception {
        gateway.on(
                "GET",
                "/v1/runs/run_1",
                run("queued", ""),
                run("dispatching", ""),
                run("running", ""),
                run(
                        "succeeded",
                        ",\"output\":{\"outputs\":[{\"url\":\"" + gateway.imageUrl("r.png")
                                + "\"}],\"seed\":5,\"timing\":{\"inference_ms\":5200},\"nsfw_detected\":false}"));

        TaskOutcome outcome =
                runOne(prompt().inputImage(new InputImage.RemoteUrl(URI.create("https://example.com/in.png")))
                        .safetyTolerance(5)
                        .promptUpsampling(true)
                        .build());

        assertThat(outcome).isInstanceOf(TaskOutcome.Succeeded.class);
        assertThat(imageFiles()).containsExactly("flux-kontext-1.png");
        assertThat(((TaskOutcome.Succeeded) outcome).seed()).isEqualTo(5L);
        JsonNode input = body(gateway.requests("POST", "/v1/models/").get(0)).get("input");
        assertThat(gateway.requests("POST", "/v1/models/").get(0).getUrl().encodedPath())
                .isEqualTo("/v1/models/black-forest-labs/flux-pro/kontext/max/runs");
        assertThat(input.get("image_url").asText()).isEqualTo("https://example.com/in.png");
        assertThat(input.get("safety_tolerance").asText()).isEqualTo("5");
        assertThat(input.get("enhance_prompt").asBoolean()).isTrue();
        assertThat(input.get("num_images").asInt()).isEqualTo(1);
    }

    @Test
    void aFailedRunFailsWithItsFailureMessage() throws Exception {
        gateway.on("GET", "/v1/runs/run_1", run("failed", ",\"failure_message\":\"upstream model error\""));

        TaskOutcome outcome = runOne(prompt().build());

        assertThat(outcome).isInstanceOf(TaskOutcome.Failed.class);
        assertThat(outcome.message()).contains("run_1", "upstream model error");
    }

    @Test
    void aFlaggedOutputIsModerated() throws Exception {
        gateway.on(
                "GET",
                "/v1/runs/run_1",
                run(
                        "succeeded",
                        ",\"output\":{\"outputs\":[{\"url\":\"" + gateway.imageUrl("r.png")
                                + "\"}],\"seed\":5,\"nsfw_detected\":true}"));

        TaskOutcome outcome = runOne(prompt().build());

        assertThat(outcome).isInstanceOf(TaskOutcome.Moderated.class);
        assertThat(gateway.count("GET", "/files/")).isZero();
    }

    @Test
    void fieldsRunflowCannotHonourAreRefusedBeforeAnyCall() {
        assertThatThrownBy(() -> run(prompt().safetyTolerance(0).build()))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("Runflow takes 1 (strictest) to 6");
        assertThat(gateway.requests()).isEmpty();
    }
}
