package io.jenkins.plugins.fluxkontext.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simulator answers with the loopback name it was asked at, and marks every answer as simulated. */
class RequestOriginTest extends SimulatorStage {

    private final OkHttpClient http =
            new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(20)).build();

    @BeforeEach
    void start() {
        startSimulator(
                SimulatorSettings.builder().latency(Duration.ofMillis(100)).randomSeed(5));
    }

    private JsonNode send(Request request) throws IOException {
        try (Response response = http.newCall(request).execute()) {
            assertThat(response.header("X-Flux-Kontext-Simulator"))
                    .as("every answer is marked")
                    .isEqualTo("true");
            return BflClient.JSON.readTree(response.body().bytes());
        }
    }

    private Request submit(String base, String host) throws IOException {
        Request.Builder request = new Request.Builder()
                .url(base + "/v1/flux-kontext-max")
                .header("x-key", "any")
                .post(RequestBody.create(
                        BflClient.JSON.writeValueAsBytes(Map.of("prompt", "origin")),
                        MediaType.get("application/json")));
        if (host != null) {
            request.header("Host", host);
        }
        return request.build();
    }

    private JsonNode pollUntilReady(String url) throws Exception {
        for (int i = 0; i < 200; i++) {
            JsonNode answer =
                    send(new Request.Builder().url(url).header("x-key", "any").build());
            if (!answer.get("status").asText().equals("Pending")) {
                return answer;
            }
            Thread.sleep(25);
        }
        throw new AssertionError("still pending");
    }

    @Test
    void aClientThatAskedAtLocalhostIsToldToPollAndDownloadAtLocalhost() throws Exception {
        String localhost = "http://localhost:" + sim.port();

        JsonNode submitted = send(submit(localhost, null));

        String polling = submitted.get("polling_url").asText();
        assertThat(polling).startsWith(localhost + "/v1/get_result?id=");
        JsonNode ready = pollUntilReady(polling);
        assertThat(ready.at("/result/sample").asText()).startsWith(localhost + "/results/");
        try (Response image = http.newCall(new Request.Builder()
                        .url(ready.at("/result/sample").asText())
                        .build())
                .execute()) {
            assertThat(image.code()).isEqualTo(200);
            assertThat(image.header("X-Flux-Kontext-Simulator")).isEqualTo("true");
        }
    }

    @Test
    void aGatewayAnswersWithTheAskedOriginToo() throws Exception {
        String localhost = "http://localhost:" + sim.port();
        JsonNode queued = send(new Request.Builder()
                .url(localhost + "/fal/fal-ai/flux-pro/kontext/max/text-to-image")
                .header("Authorization", "Key any")
                .post(RequestBody.create(
                        BflClient.JSON.writeValueAsBytes(Map.of("prompt", "origin")),
                        MediaType.get("application/json")))
                .build());

        assertThat(queued.get("status_url").asText()).startsWith(localhost + "/fal/fal-ai/flux-pro/requests/");
        assertThat(queued.get("response_url").asText()).startsWith(localhost + "/fal/");
    }

    @Test
    void aHostThatIsNotThisMachineGetsTheSimulatorsOwnAddress() throws Exception {
        JsonNode submitted = send(submit(sim.baseUrl().toString(), "evil.example:" + sim.port()));

        assertThat(submitted.get("polling_url").asText()).startsWith(sim.baseUrl() + "/v1/get_result?id=");
    }
}
