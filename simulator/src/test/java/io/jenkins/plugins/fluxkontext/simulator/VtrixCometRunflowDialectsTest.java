package io.jenkins.plugins.fluxkontext.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Vtrix, CometAPI's BFL route and Runflow's runs, each under its own prefix, as their documentation describes them. */
class VtrixCometRunflowDialectsTest extends SimulatorStage {

    @BeforeEach
    void start() {
        startSimulator(
                SimulatorSettings.builder().latency(Duration.ofMillis(600)).randomSeed(3));
    }

    private static Map<String, Object> vtrix(Map<String, Object> params) {
        return Map.of("model", "flux_kontext_max", "input", List.of(Map.of("params", params)));
    }

    @Test
    void vtrixRunsPendingInProgressCompletedWithOutputContentUrlAndCost() throws Exception {
        GatewayClient client = new GatewayClient(sim, "vtrix", "Bearer");
        JsonNode task = client.post(
                        "/model/v1/generation",
                        vtrix(Map.of(
                                "prompt",
                                "a kite",
                                "seed",
                                3,
                                "input_image",
                                ImagePainterFixtures.dataUri(64, 48).substring("data:image/png;base64,".length()))))
                .json();

        assertThat(task.get("status").asText()).isEqualTo("pending");
        assertThat(task.at("/usage/cost").asText()).isEqualTo("0.08");
        String status = "/model/v1/generation/task/" + task.get("id").asText();
        JsonNode running =
                client.pollUntil(status, j -> j.get("status").asText().equals("in_progress"));
        assertThat(running.get("progress").asDouble()).isBetween(0.0, 0.99);
        JsonNode done = client.pollUntil(status, j -> j.get("status").asText().equals("completed"));
        assertThat(done.at("/output/0/content/0/url").asText())
                .contains("/results/")
                .contains("sample.jpeg"); // Vtrix's default format is jpeg
        assertThat(done.at("/usage/cost").asText()).isEqualTo("0.08");
        assertThat(sim.ledger("vtrix").billedCount()).isEqualTo(1);
    }

    @Test
    void vtrixRefusesAFlatBodyAnotherSchemeAndReportsModerationAsAFailure() throws Exception {
        GatewayClient client = new GatewayClient(sim, "vtrix", "Bearer");
        assertThat(client.post("/model/v1/generation", Map.of("model", "flux_kontext_max", "prompt", "flat"))
                        .status())
                .isEqualTo(400);
        assertThat(client.post(
                                "/model/v1/generation",
                                vtrix(Map.of("prompt", "x")),
                                "Key " + GatewayClient.KEY,
                                Map.of())
                        .status())
                .isEqualTo(401);
        assertThat(client.post(
                                "/model/v1/generation",
                                Map.of(
                                        "model",
                                        "flux-kontext-max",
                                        "input",
                                        List.of(Map.of("params", Map.of("prompt", "x")))))
                        .status())
                .isEqualTo(400);

        JsonNode task = client.post("/model/v1/generation", vtrix(Map.of("prompt", "x [sim:moderate-request]")))
                .json();
        JsonNode failed = client.get(
                        "/model/v1/generation/task/" + task.get("id").asText())
                .json();
        assertThat(failed.get("status").asText()).isEqualTo("failed");
        assertThat(failed.at("/error/code").asText()).isEqualTo("content_moderation");
        assertThat(client.get("/model/v1/generation/task/nope").status()).isEqualTo(404);
        assertThat(sim.ledger("vtrix").billedCount()).isZero();
    }

    @Test
    void cometApiAnswersInBflStatusesAtItsOwnGetResult() throws Exception {
        GatewayClient client = new GatewayClient(sim, "cometapi", "Bearer");
        JsonNode task = client.post("/flux/v1/flux-kontext-max", Map.of("prompt", "a kite", "aspect_ratio", "16:9"))
                .json();
        String id = task.get("id").asText();
        String getResult = "/flux/v1/get_result?id=" + id;

        assertThat(client.get(getResult).json().get("status").asText()).isEqualTo("Pending");
        JsonNode ready =
                client.pollUntil(getResult, j -> !j.get("status").asText().equals("Pending"));
        assertThat(ready.get("status").asText()).isEqualTo("Ready");
        assertThat(ready.at("/result/sample").asText()).contains("/results/" + id);
        assertThat(client.get("/flux/v1/get_result?id=unknown")
                        .json()
                        .get("status")
                        .asText())
                .isEqualTo("Task not found");
        // The polling_url is BFL's upstream one, which does not take CometAPI's Bearer key.
        assertThat(task.get("polling_url").asText()).isEqualTo(sim.baseUrl() + "/v1/get_result?id=" + id);
        assertThat(client.get(task.get("polling_url").asText()).status()).isEqualTo(401);
        assertThat(client.post("/flux/v1/flux-kontext-max", Map.of("prompt", "x"), "Key " + GatewayClient.KEY, Map.of())
                        .status())
                .isEqualTo(401);
    }

    @Test
    void cometApiPassesBflModerationStatusesThrough() throws Exception {
        GatewayClient client = new GatewayClient(sim, "cometapi", "Bearer");
        String id = client.post("/flux/v1/flux-kontext-max", Map.of("prompt", "x [sim:moderate-output,latency=100ms]"))
                .json()
                .get("id")
                .asText();
        JsonNode ended = client.pollUntil(
                "/flux/v1/get_result?id=" + id, j -> !j.get("status").asText().equals("Pending"));
        assertThat(ended.get("status").asText()).isEqualTo("Content Moderated");
        assertThat(sim.ledger("cometapi").billedCount()).isZero();
    }

    @Test
    void runflowRunsQueuedDispatchingRunningThenSucceededWithItsNormalizedOutput() throws Exception {
        GatewayClient client = new GatewayClient(sim, "runflow", "Bearer");
        JsonNode run = client.post(
                        "/v1/models/black-forest-labs/flux-pro/kontext/max/text-to-image/runs",
                        Map.of("input", Map.of("prompt", "a kite", "num_images", 2, "safety_tolerance", "2")))
                .json();

        assertThat(run.get("status_code").asText()).isEqualTo("queued");
        String status = "/v1/runs/" + run.get("id").asText();
        client.pollUntil(status, j -> j.get("status_code").asText().equals("running"));
        JsonNode done =
                client.pollUntil(status, j -> j.get("status_code").asText().equals("succeeded"));
        assertThat(done.at("/output/outputs")).hasSize(2);
        assertThat(done.at("/output/outputs/0/url").asText()).startsWith("http://127.0.0.1:");
        assertThat(done.at("/output/seed").isIntegralNumber()).isTrue();
        assertThat(done.at("/output/timing").isObject()).isTrue();
        assertThat(done.at("/output/nsfw_detected").asBoolean()).isFalse();
        assertThat(done.at("/output/images").isMissingNode())
                .as("Runflow's normalized output, not the model's own")
                .isTrue();
        assertThat(sim.ledger("runflow").totalUsd()).isEqualByComparingTo("0.16");
    }

    @Test
    void runflowRefusesOtherSchemesUnknownModelsAndBadInput() throws Exception {
        GatewayClient client = new GatewayClient(sim, "runflow", "Bearer");
        String path = "/v1/models/black-forest-labs/flux-pro/kontext/runs";
        assertThat(client.post(path, Map.of("input", Map.of("prompt", "x")), "Key " + GatewayClient.KEY, Map.of())
                        .status())
                .isEqualTo(401);
        assertThat(client.post("/v1/models/someone/else/runs", Map.of("input", Map.of("prompt", "x")))
                        .status())
                .isEqualTo(404);
        GatewayClient.Answer noImage = client.post(path, Map.of("input", Map.of("prompt", "x")));
        assertThat(noImage.status()).isEqualTo(422);
        assertThat(noImage.json().at("/errors/0/field").asText()).isEqualTo("input.image_url");
        assertThat(client.get("/v1/runs/nope").status()).isEqualTo(404);

        JsonNode failed = client.post(
                        "/v1/models/black-forest-labs/flux-pro/kontext/max/text-to-image/runs",
                        Map.of("input", Map.of("prompt", "x [sim:fail,latency=100ms]")))
                .json();
        JsonNode ended = client.pollUntil(
                "/v1/runs/" + failed.get("id").asText(),
                j -> j.get("status_code").asText().equals("failed"));
        assertThat(ended.get("failure_message").asText()).isNotBlank();
    }
}
