package io.jenkins.plugins.fluxkontext.core.engine;

import static io.jenkins.plugins.fluxkontext.core.engine.FakeGateway.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderDialect;
import io.jenkins.plugins.fluxkontext.core.provider.cometapi.CometApiDialect;
import io.jenkins.plugins.fluxkontext.core.task.Billing;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.Test;

/**
 * CometAPI's BFL-compatible route through the engine, on a fake CometAPI. It takes BFL's body as it is: nothing to
 * refuse.
 */
class CometApiStoriesTest extends GatewayStory {

    @Override
    ProviderDialect dialect() {
        return new CometApiDialect();
    }

    private MockResponse result(String status, String result) {
        return json(200, "{\"id\":\"c-1\",\"status\":\"" + status + "\",\"result\":" + result + "}");
    }

    @Test
    void aTaskIsPolledAtCometApisGetResultNotTheReturnedPollingUrl() throws Exception {
        gateway.on(
                "POST",
                "/flux/v1/flux-kontext-max",
                json(200, "{\"id\":\"c-1\",\"polling_url\":" + "\"https://api.us1.bfl.ai/v1/get_result?id=c-1\"}"));
        gateway.on(
                "GET",
                "/flux/v1/get_result",
                result("Pending", "null"),
                result(
                        "Ready",
                        "{\"seed\":42," + "\"prompt\":\"p\",\"sample\":\"" + gateway.imageUrl("c.png")
                                + "\",\"duration\":6.1}"));

        TaskOutcome outcome = runOne(prompt().build());

        assertThat(outcome).isInstanceOf(TaskOutcome.Succeeded.class);
        assertThat(((TaskOutcome.Succeeded) outcome).seed()).isEqualTo(42L);
        assertThat(imageFiles()).containsExactly("flux-kontext-1.png");
        assertThat(gateway.requests("GET", "/flux/v1/get_result"))
                .allSatisfy(r -> assertThat(r.getUrl().queryParameter("id")).isEqualTo("c-1"));
        JsonNode body = body(gateway.requests("POST", "/flux/v1/").get(0));
        assertThat(body.get("prompt").asText()).startsWith("A red fox");
        assertThat(body.get("output_format").asText()).isEqualTo("png");
    }

    @Test
    void anErrorStatusFails() throws Exception {
        gateway.on("POST", "/flux/v1/flux-kontext-max", json(200, "{\"id\":\"c-1\"}"));
        gateway.on(
                "GET",
                "/flux/v1/get_result",
                json(
                        200,
                        "{\"id\":\"c-1\",\"status\":\"Error\",\"result\":null,"
                                + "\"details\":{\"message\":\"worker crashed\"}}"));

        TaskOutcome outcome = runOne(prompt().build());

        assertThat(outcome).isInstanceOf(TaskOutcome.Failed.class);
        assertThat(outcome.message()).contains("worker crashed");
    }

    @Test
    void aModeratedRequestIsModeratedButMaybeBilled() throws Exception {
        gateway.on("POST", "/flux/v1/flux-kontext-max", json(200, "{\"id\":\"c-1\"}"));
        gateway.on("GET", "/flux/v1/get_result", result("Request Moderated", "null"));

        TaskOutcome outcome = runOne(prompt().build());

        assertThat(outcome).isInstanceOf(TaskOutcome.Moderated.class);
        assertThat(((TaskOutcome.Moderated) outcome).side()).isEqualTo(TaskOutcome.ModerationSide.REQUEST);
        assertThat(outcome.billing()).isEqualTo(Billing.MAYBE_BILLED);
    }
}
