package io.jenkins.plugins.fluxkontext.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** fal's queue API under /fal, as docs.fal.ai (model-endpoints/queue) describes it. */
class FalDialectTest extends SimulatorStage {

    private static final String TEXT_TO_IMAGE = "/fal-ai/flux-pro/kontext/max/text-to-image";

    private GatewayClient client;

    @BeforeEach
    void start() {
        startSimulator(
                SimulatorSettings.builder().latency(Duration.ofMillis(800)).randomSeed(3));
        client = new GatewayClient(sim, "fal", "Key");
    }

    private JsonNode submit(String path, Map<String, Object> input) throws Exception {
        GatewayClient.Answer answer = client.post(path, input);
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        return answer.json();
    }

    @Test
    void theSubmitNamesTheQueueUrlsWhichUseOwnerAndAppOnly() throws Exception {
        JsonNode queued = submit(TEXT_TO_IMAGE, Map.of("prompt", "a kite"));

        String id = queued.get("request_id").asText();
        String requests = sim.baseUrl("fal") + "/fal-ai/flux-pro/requests/" + id;
        assertThat(queued.get("status").asText()).isEqualTo("IN_QUEUE");
        assertThat(queued.get("status_url").asText()).isEqualTo(requests + "/status");
        assertThat(queued.get("response_url").asText()).isEqualTo(requests);
        assertThat(queued.get("cancel_url").asText()).isEqualTo(requests + "/cancel");
    }

    @Test
    void theStatusIs202WhileQueuedAndInProgressThen200Completed() throws Exception {
        JsonNode queued = submit(TEXT_TO_IMAGE, Map.of("prompt", "a kite"));
        String status = queued.get("status_url").asText();

        GatewayClient.Answer first = client.get(status);
        assertThat(first.status()).isEqualTo(202);
        assertThat(first.json().get("status").asText()).isEqualTo("IN_QUEUE");
        Thread.sleep(300);
        GatewayClient.Answer running = client.get(status);
        assertThat(running.status()).isEqualTo(202);
        assertThat(running.json().get("status").asText()).isEqualTo("IN_PROGRESS");
        client.pollUntil(status, j -> j.get("status").asText().equals("COMPLETED"));
        assertThat(client.get(status).status()).isEqualTo(200);

        JsonNode output = client.get(queued.get("response_url").asText()).json();
        assertThat(output.get("images")).hasSize(1);
        assertThat(output.get("has_nsfw_concepts").toString()).isEqualTo("[false]");
        assertThat(output.at("/images/0/content_type").asText()).isEqualTo("image/jpeg"); // fal's default format
    }

    /**
     * {@code status/stream} "Streams the status of a request until it's completed" (docs.fal.ai, queue): server-sent
     * events, each the status document, the last COMPLETED, sent the moment the request ends; then the stream closes.
     */
    @Test
    void theStatusStreamTellsEachStatusAndTheEndTheMomentItHappens() throws Exception {
        JsonNode queued = submit(TEXT_TO_IMAGE, Map.of("prompt", "a kite"));
        String stream = queued.get("status_url").asText() + "/stream";

        GatewayClient.Answer events = client.get(stream);

        assertThat(events.status()).isEqualTo(200);
        assertThat(events.headers().get("Content-Type")).isEqualTo("text/event-stream");
        List<String> statuses = new ArrayList<>();
        for (String line : new String(events.body(), StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("data: ")) {
                statuses.add(new ObjectMapper()
                        .readTree(line.substring(6))
                        .get("status")
                        .asText());
            }
        }
        assertThat(statuses).containsExactly("IN_QUEUE", "IN_PROGRESS", "COMPLETED");
        TaskReport task = sim.ledger("fal").tasks().get(0);
        assertThat(task.detectionLag()).as("told at its end").isLessThan(Duration.ofMillis(100));
        assertThat(task.polls()).isZero();
        assertThat(task.streams()).isEqualTo(1);
        assertThat(client.get(queued.get("response_url").asText()).json().get("images"))
                .hasSize(1);
        assertThat(sim.ledger("fal").tasks().get(0).requests())
                .as("submit, stream, result")
                .isEqualTo(3);
    }

    @Test
    void numImagesMakesOneTaskWithThatManyDistinctImagesBilledAsMany() throws Exception {
        JsonNode queued = submit(
                TEXT_TO_IMAGE,
                Map.of(
                        "prompt",
                        "a kite",
                        "num_images",
                        3,
                        "seed",
                        10,
                        "output_format",
                        "png",
                        "aspect_ratio",
                        "16:9"));
        client.pollUntil(
                queued.get("status_url").asText(), j -> j.get("status").asText().equals("COMPLETED"));

        JsonNode output = client.get(queued.get("response_url").asText()).json();
        assertThat(output.get("images")).hasSize(3);
        assertThat(output.get("seed").asLong()).isEqualTo(10);
        Set<String> distinct = new HashSet<>();
        for (JsonNode image : output.get("images")) {
            byte[] bytes = client.get(image.get("url").asText(), null).body();
            assertThat(ImageIO.read(new ByteArrayInputStream(bytes)).getWidth()).isEqualTo(1360);
            distinct.add(Arrays.toString(bytes));
        }
        assertThat(distinct).hasSize(3);
        LedgerSnapshot ledger = sim.ledger("fal");
        assertThat(ledger.billedCount()).isEqualTo(1);
        assertThat(ledger.totalUsd()).isEqualByComparingTo("0.24");
    }

    @Test
    void theInputIsCheckedAsFalDefinesIt() throws Exception {
        GatewayClient.Answer answer = client.post(
                TEXT_TO_IMAGE, Map.of("prompt", "x", "safety_tolerance", 2, "num_images", 5, "aspect_ratio", "5:4"));
        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.text())
                .contains("safety_tolerance")
                .contains("string_type")
                .contains("num_images")
                .contains("aspect_ratio");
        assertThat(client.post("/fal-ai/flux-pro/kontext/max", Map.of("prompt", "edit without image"))
                        .text())
                .contains("image_url");
        assertThat(client.post(TEXT_TO_IMAGE, Map.of("prompt", "x", "safety_tolerance", "2"))
                        .status())
                .isEqualTo(200);
        assertThat(client.post(
                                "/fal-ai/flux-pro/kontext/max",
                                Map.of("prompt", "x", "image_url", ImagePainterFixtures.dataUri(64, 64)))
                        .status())
                .isEqualTo(200);
        assertThat(client.post(
                                "/fal-ai/flux-pro/kontext/max/multi",
                                Map.of(
                                        "prompt",
                                        "x",
                                        "image_urls",
                                        List.of(
                                                ImagePainterFixtures.dataUri(64, 64),
                                                ImagePainterFixtures.dataUri(32, 64))))
                        .status())
                .isEqualTo(200);
    }

    @Test
    void onlyAKeySchemeIsAccepted() throws Exception {
        GatewayClient.Answer bearer =
                client.post(TEXT_TO_IMAGE, Map.of("prompt", "x"), "Bearer " + GatewayClient.KEY, Map.of());
        assertThat(bearer.status()).isEqualTo(401);
        assertThat(client.post(TEXT_TO_IMAGE, Map.of("prompt", "x"), null, Map.of())
                        .status())
                .isEqualTo(401);
        String status =
                submit(TEXT_TO_IMAGE, Map.of("prompt", "x")).get("status_url").asText();
        assertThat(client.get(status, "Bearer " + GatewayClient.KEY).status()).isEqualTo(401);
    }

    @Test
    void aFlaggedOutputIsCompletedWithHasNsfwConceptsAndBilled() throws Exception {
        JsonNode queued =
                submit(TEXT_TO_IMAGE, Map.of("prompt", "x [sim:moderate-output,latency=100ms]", "num_images", 2));
        client.pollUntil(
                queued.get("status_url").asText(), j -> j.get("status").asText().equals("COMPLETED"));

        JsonNode output = client.get(queued.get("response_url").asText()).json();
        assertThat(output.get("has_nsfw_concepts").toString()).isEqualTo("[true,false]");
        assertThat(client.get(output.at("/images/0/url").asText(), null).status())
                .isEqualTo(404);
        assertThat(sim.ledger("fal").billedCount()).isEqualTo(1);
    }

    @Test
    void aModeratedRequestIsAContentPolicyErrorAtTheResponseUrl() throws Exception {
        JsonNode queued = submit(TEXT_TO_IMAGE, Map.of("prompt", "x [sim:moderate-request]"));
        client.pollUntil(
                queued.get("status_url").asText(), j -> j.get("status").asText().equals("COMPLETED"));

        GatewayClient.Answer result = client.get(queued.get("response_url").asText());
        assertThat(result.status()).isEqualTo(422);
        assertThat(result.json().at("/detail/0/type").asText()).isEqualTo("content_policy_violation");
        assertThat(sim.ledger("fal").billedCount()).isZero();
    }

    @Test
    void aFailedRunIsAServerErrorWithItsTypeAndNotBilled() throws Exception {
        JsonNode queued = submit(TEXT_TO_IMAGE, Map.of("prompt", "x [sim:fail,latency=100ms]"));
        client.pollUntil(
                queued.get("status_url").asText(), j -> j.get("status").asText().equals("COMPLETED"));

        GatewayClient.Answer result = client.get(queued.get("response_url").asText());
        assertThat(result.status()).isEqualTo(500);
        assertThat(result.headers().get("X-Fal-Error-Type")).isEqualTo("runner_server_error");
        assertThat(sim.ledger("fal").billedCount()).isZero();
    }

    @Test
    void aQueuedRequestCanBeCancelledAndIsNotBilledButAStartedOneCannot() throws Exception {
        JsonNode queued = submit(TEXT_TO_IMAGE, Map.of("prompt", "x [sim:latency=4s]"));
        GatewayClient.Answer cancelled = client.put(queued.get("cancel_url").asText());
        assertThat(cancelled.status()).isEqualTo(202);
        assertThat(cancelled.json().get("status").asText()).isEqualTo("CANCELLATION_REQUESTED");
        assertThat(client.get(queued.get("status_url").asText())
                        .json()
                        .get("status")
                        .asText())
                .isEqualTo("COMPLETED");
        GatewayClient.Answer result = client.get(queued.get("response_url").asText());
        assertThat(result.status()).isEqualTo(400);
        assertThat(result.json().get("error_type").asText()).isEqualTo("client_cancelled");

        JsonNode started = submit(TEXT_TO_IMAGE, Map.of("prompt", "y [sim:latency=400ms]"));
        client.pollUntil(
                started.get("status_url").asText(),
                j -> j.get("status").asText().equals("IN_PROGRESS"));
        assertThat(client.put(started.get("cancel_url").asText())
                        .json()
                        .get("status")
                        .asText())
                .isEqualTo("ALREADY_COMPLETED");
        client.pollUntil(
                started.get("status_url").asText(),
                j -> j.get("status").asText().equals("COMPLETED"));

        LedgerSnapshot ledger = sim.ledger("fal");
        assertThat(ledger.task(queued.get("request_id").asText()).state()).isEqualTo(TaskState.CANCELLED);
        assertThat(ledger.billedCount()).isEqualTo(1);
        assertThat(ledger.timesBilled(queued.get("request_id").asText())).isZero();
    }

    @Test
    void anUnknownRequestIs404() throws Exception {
        assertThat(client.get("/fal-ai/flux-pro/requests/00000000-0000-0000-0000-000000000000/status")
                        .status())
                .isEqualTo(404);
        assertThat(client.post("/fal-ai/flux-pro/kontext/ultra", Map.of("prompt", "x"))
                        .status())
                .isEqualTo(404);
    }
}
