package io.jenkins.plugins.fluxkontext.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ToAPIs under /toapis, as docs.toapis.com describes it. */
class ToApisDialectTest extends SimulatorStage {

    private GatewayClient client;

    @BeforeEach
    void start() {
        startSimulator(
                SimulatorSettings.builder().latency(Duration.ofMillis(600)).randomSeed(3));
        client = new GatewayClient(sim, "toapis", "Bearer");
    }

    private static Map<String, Object> body(String prompt) {
        return Map.of(
                "model",
                "flux-kontext-max",
                "prompt",
                prompt,
                "size",
                "1:1",
                "metadata",
                Map.of("response_format", "png", "safety_tolerance", 2, "prompt_upsampling", false));
    }

    @Test
    void aTaskIsQueuedThenInProgressThenCompletedWithItsImageAtResultDataUrl() throws Exception {
        GatewayClient.Answer submitted = client.post("/v1/images/generations", body("a red kite"));

        assertThat(submitted.status()).isEqualTo(200);
        JsonNode task = submitted.json();
        assertThat(task.get("object").asText()).isEqualTo("generation.task");
        assertThat(task.get("status").asText()).isEqualTo("queued");
        assertThat(task.get("progress").asInt()).isZero();
        String status = "/v1/images/generations/" + task.get("id").asText();
        assertThat(client.get(status).json().get("status").asText()).isEqualTo("queued");
        JsonNode running =
                client.pollUntil(status, j -> j.get("status").asText().equals("in_progress"));
        assertThat(running.get("progress").asInt()).isBetween(0, 99);

        JsonNode done = client.pollUntil(status, j -> j.get("status").asText().equals("completed"));
        assertThat(done.get("progress").asInt()).isEqualTo(100);
        assertThat(done.get("expires_at").asLong())
                .isGreaterThan(done.get("completed_at").asLong());
        assertThat(done.at("/result/type").asText()).isEqualTo("image");
        GatewayClient.Answer image = client.get(done.at("/result/data/0/url").asText(), null);
        assertThat(ImageIO.read(new ByteArrayInputStream(image.body())).getWidth())
                .isEqualTo(1024);
        assertThat(sim.ledger("toapis").billedCount()).isEqualTo(1);
    }

    @Test
    void withoutSizeATextToImageTaskIsSixteenByNine() throws Exception {
        JsonNode task = client.post("/v1/images/generations", Map.of("model", "flux-kontext-max", "prompt", "wide"))
                .json();
        JsonNode done = client.pollUntil(
                "/v1/images/generations/" + task.get("id").asText(),
                j -> j.get("status").asText().equals("completed"));
        byte[] image = client.get(done.at("/result/data/0/url").asText(), null).body();
        assertThat(ImageIO.read(new ByteArrayInputStream(image)).getWidth()).isEqualTo(1360);
    }

    @Test
    void onlyABearerKeyIsAccepted() throws Exception {
        for (String auth : new String[] {null, "Key " + GatewayClient.KEY, GatewayClient.KEY}) {
            GatewayClient.Answer answer = client.post("/v1/images/generations", body("x"), auth, Map.of());
            assertThat(answer.status()).as(String.valueOf(auth)).isEqualTo(401);
            assertThat(answer.json().at("/error/type").asText()).isEqualTo("authentication_error");
            assertThat(answer.text()).doesNotContain(GatewayClient.KEY);
        }
        assertThat(client.post("/v1/images/generations", body("x"), null, Map.of("x-key", GatewayClient.KEY))
                        .status())
                .isEqualTo(401);
        assertThat(sim.ledger().tasks()).isEmpty();
    }

    @Test
    void aModeratedRequestAnswers422ContentPolicyViolationAndCreatesNothing() throws Exception {
        GatewayClient.Answer answer = client.post("/v1/images/generations", body("x [sim:moderate-request]"));

        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.json().at("/error/code").asText()).isEqualTo("content_policy_violation");
        assertThat(sim.ledger("toapis").tasks()).isEmpty();
        assertThat(sim.ledger("toapis").billedCount()).isZero();
    }

    @Test
    void aFailedTaskNamesItsErrorAndIsNotBilled() throws Exception {
        String id = client.post("/v1/images/generations", body("x [sim:fail,latency=100ms]"))
                .json()
                .get("id")
                .asText();
        JsonNode failed = client.pollUntil(
                "/v1/images/generations/" + id,
                j -> !j.get("status").asText().equals("queued")
                        && !j.get("status").asText().equals("in_progress"));

        assertThat(failed.get("status").asText()).isEqualTo("failed");
        assertThat(failed.at("/error/code").asText()).isEqualTo("generation_failed");
        assertThat(failed.at("/error/message").asText()).isNotBlank();
        assertThat(sim.ledger("toapis").billedCount()).isZero();
    }

    @Test
    void anUnknownTaskIs404NotFoundError() throws Exception {
        GatewayClient.Answer answer = client.get("/v1/images/generations/task_img_nope");
        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.json().get("error"))
                .isEqualTo(GatewayClient.JSON.readTree(
                        "{\"code\":404,\"message\":\"Task not found\",\"type\":\"not_found_error\"}"));
    }

    @Test
    void imageUrlsTakeOnePublicUrlAndNeitherBase64NorJpeg() throws Exception {
        assertThat(client.post(
                                "/v1/images/generations",
                                Map.of(
                                        "model",
                                        "flux-kontext-max",
                                        "prompt",
                                        "x",
                                        "image_urls",
                                        List.of("iVBORw0KGgo=")))
                        .text())
                .contains("base64 is not supported");
        assertThat(client.post(
                                "/v1/images/generations",
                                Map.of(
                                        "model",
                                        "flux-kontext-max",
                                        "prompt",
                                        "x",
                                        "image_urls",
                                        List.of("http://a/1.png", "http://a/2.png")))
                        .text())
                .contains("at most 1");
        GatewayClient.Answer jpeg = client.post(
                "/v1/images/generations",
                Map.of("model", "flux-kontext-max", "prompt", "x", "metadata", Map.of("response_format", "jpeg")));
        assertThat(jpeg.status()).isEqualTo(400);
        assertThat(jpeg.text()).contains("png or jpg");
        assertThat(sim.ledger("toapis").tasks()).isEmpty();
    }

    @Test
    void anUploadedImageGetsAUrlTheSimulatorServesAndAnEditCanUseIt() throws Exception {
        byte[] png = ImagePainterFixtures.png(640, 480);
        GatewayClient.Answer uploaded = client.upload("/v1/uploads/images", "input.png", png, "image/png");

        assertThat(uploaded.status()).isEqualTo(200);
        JsonNode data = uploaded.json().get("data");
        assertThat(uploaded.json().get("success").asBoolean()).isTrue();
        assertThat(data.get("mime_type").asText()).isEqualTo("image/png");
        assertThat(data.get("size").asInt()).isEqualTo(png.length);
        String url = data.get("url").asText();
        assertThat(url).startsWith(sim.baseUrl("toapis") + "/files/");
        assertThat(client.get(url, null).body()).isEqualTo(png);

        JsonNode task = client.post(
                        "/v1/images/generations",
                        Map.of(
                                "model",
                                "flux-kontext-max",
                                "prompt",
                                "edit it",
                                "image_urls",
                                List.of(url),
                                "size",
                                "match_input_image"))
                .json();
        JsonNode done = client.pollUntil(
                "/v1/images/generations/" + task.get("id").asText(),
                j -> j.get("status").asText().equals("completed"));
        byte[] edited = client.get(done.at("/result/data/0/url").asText(), null).body();
        assertThat(ImageIO.read(new ByteArrayInputStream(edited)).getHeight())
                .isEqualTo(FrameSize.matching(640, 480).height());
    }

    @Test
    void uploadsOver10MbOrNotImagesAreRefused() throws Exception {
        GatewayClient.Answer big =
                client.upload("/v1/uploads/images", "big.png", new byte[10 * 1024 * 1024 + 1], "image/png");
        assertThat(big.status()).isEqualTo(413);
        assertThat(big.json().get("success").asBoolean()).isFalse();
        assertThat(big.json().get("message").asText()).contains("10 MB");

        GatewayClient.Answer text = client.upload("/v1/uploads/images", "notes.txt", "hello".getBytes(), "text/plain");
        assertThat(text.status()).isEqualTo(400);
        assertThat(client.upload("/v1/uploads/images", "x.png", new byte[] {1}, "image/png")
                        .json()
                        .get("success")
                        .asBoolean())
                .isFalse();
    }
}
