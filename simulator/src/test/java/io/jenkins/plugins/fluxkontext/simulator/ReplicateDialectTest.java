package io.jenkins.plugins.fluxkontext.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Replicate's predictions API under /replicate, as replicate.com/docs/reference/http describes it. */
class ReplicateDialectTest extends SimulatorStage {

    private static final String CREATE = "/v1/models/black-forest-labs/flux-kontext-max/predictions";

    private GatewayClient client;

    @BeforeEach
    void start() {
        startSimulator(
                SimulatorSettings.builder().latency(Duration.ofMillis(600)).randomSeed(3));
        client = new GatewayClient(sim, "replicate", "Bearer");
    }

    private static Map<String, Object> input(Map<String, Object> input) {
        return Map.of("input", input);
    }

    @Test
    void preferWaitHoldsTheAnswerUntilThePredictionSucceeded() throws Exception {
        GatewayClient.Answer created = client.post(
                CREATE,
                input(Map.of("prompt", "a kite", "output_format", "jpg")),
                "Bearer " + GatewayClient.KEY,
                Map.of("Prefer", "wait=5"));

        assertThat(created.status()).isEqualTo(201);
        JsonNode prediction = created.json();
        assertThat(prediction.get("status").asText()).isEqualTo("succeeded");
        assertThat(prediction.get("output").isTextual()).isTrue();
        byte[] image = client.get(prediction.get("output").asText(), null).body();
        assertThat(ImageIO.read(new ByteArrayInputStream(image))).isNotNull();
        assertThat(prediction.at("/urls/get").asText())
                .isEqualTo(sim.baseUrl("replicate") + "/v1/predictions/"
                        + prediction.get("id").asText());
        assertThat(sim.ledger("replicate").billedCount()).isEqualTo(1);
        TaskReport task = sim.ledger("replicate").tasks().get(0);
        assertThat(task.detectionLag()).as("answered the moment it ended").isLessThan(Duration.ofMillis(100));
        assertThat(task.requests()).as("the held submit alone").isEqualTo(1);
    }

    @Test
    void aShortWaitAnswersStartingThenItIsPolledThroughProcessing() throws Exception {
        JsonNode created = client.post(
                        CREATE,
                        input(Map.of("prompt", "a kite [sim:latency=3s]")),
                        "Bearer " + GatewayClient.KEY,
                        Map.of("Prefer", "wait=1"))
                .json();
        assertThat(created.get("status").asText()).isIn("starting", "processing");

        JsonNode none = client.post(CREATE, input(Map.of("prompt", "b"))).json();
        assertThat(none.get("status").asText()).isEqualTo("starting");
        String get = none.at("/urls/get").asText();
        client.pollUntil(get, j -> j.get("status").asText().equals("processing"));
        JsonNode done = client.pollUntil(get, j -> j.get("status").asText().equals("succeeded"));
        assertThat(done.get("output").asText()).contains("/results/");
        assertThat(done.at("/metrics/predict_time").asDouble()).isPositive();
    }

    @Test
    void moderationIsAFailureFlaggedAsSensitiveAndNotBilled() throws Exception {
        JsonNode request = client.post(
                        CREATE,
                        input(Map.of("prompt", "x [sim:moderate-request]")),
                        "Bearer " + GatewayClient.KEY,
                        Map.of("Prefer", "wait=5"))
                .json();
        assertThat(request.get("status").asText()).isEqualTo("failed");
        assertThat(request.get("error").asText())
                .contains("flagged as sensitive")
                .contains("E005");

        JsonNode output = client.post(
                        CREATE,
                        input(Map.of("prompt", "y [sim:moderate-output,latency=100ms]")),
                        "Bearer " + GatewayClient.KEY,
                        Map.of("Prefer", "wait"))
                .json();
        assertThat(output.get("status").asText()).isEqualTo("failed");
        assertThat(output.get("error").asText()).contains("flagged as sensitive");
        assertThat(sim.ledger("replicate").billedCount()).isZero();
    }

    @Test
    void aPredictionCanBeCancelledAndIsNotBilled() throws Exception {
        JsonNode created = client.post(CREATE, input(Map.of("prompt", "x [sim:latency=5s]")))
                .json();
        JsonNode cancelled =
                client.postEmpty(created.at("/urls/cancel").asText()).json();

        assertThat(cancelled.get("status").asText()).isEqualTo("canceled");
        assertThat(client.get(created.at("/urls/get").asText())
                        .json()
                        .get("status")
                        .asText())
                .isEqualTo("canceled");
        assertThat(sim.ledger("replicate").billedCount()).isZero();
        assertThat(sim.ledger("replicate").tasksEndedIn(TaskState.CANCELLED)).isEqualTo(1);
    }

    @Test
    void theInputIsCheckedAsTheModelDefinesIt() throws Exception {
        GatewayClient.Answer answer = client.post(
                CREATE,
                input(Map.of(
                        "prompt",
                        "x",
                        "output_format",
                        "jpeg",
                        "aspect_ratio",
                        "7:3",
                        "input_image",
                        ImagePainterFixtures.dataUri(32, 32),
                        "safety_tolerance",
                        3)));
        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.text())
                .contains("output_format")
                .contains("aspect_ratio")
                .contains("2 is currently the maximum allowed when input images are used");
        assertThat(client.post(CREATE, input(Map.of("prompt", "x", "aspect_ratio", "2:1", "safety_tolerance", 6)))
                        .status())
                .isEqualTo(201);
        assertThat(sim.ledger("replicate").tasks()).hasSize(1);
    }

    @Test
    void onlyABearerTokenIsAcceptedAndUnknownPredictionsAre404() throws Exception {
        assertThat(client.post(CREATE, input(Map.of("prompt", "x")), "Key " + GatewayClient.KEY, Map.of())
                        .status())
                .isEqualTo(401);
        assertThat(client.post(CREATE, input(Map.of("prompt", "x")), null, Map.of())
                        .status())
                .isEqualTo(401);
        assertThat(client.get("/v1/predictions/nope").status()).isEqualTo(404);
        assertThat(client.post("/v1/models/black-forest-labs/flux-dev/predictions", input(Map.of("prompt", "x")))
                        .status())
                .isEqualTo(404);
    }
}
