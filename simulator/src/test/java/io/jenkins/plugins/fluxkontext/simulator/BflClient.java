package io.jenkins.plugins.fluxkontext.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** A bare BFL client for the tests: real HTTP on loopback, no retries, so every fault reaches the test. */
final class BflClient {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String KEY = "test-key";

    final OkHttpClient http = new OkHttpClient.Builder()
            .retryOnConnectionFailure(false)
            .readTimeout(Duration.ofSeconds(20))
            .build();
    private final FluxKontextSimulator sim;

    BflClient(FluxKontextSimulator sim) {
        this.sim = sim;
    }

    /** A status, headers and body, read fully. */
    record Answer(int status, String contentType, byte[] body, Headers headers) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    Answer submit(Map<String, Object> body) throws IOException {
        return submit("flux-kontext-max", body, KEY);
    }

    Answer submit(String model, Map<String, Object> body, String key) throws IOException {
        Request.Builder request = new Request.Builder()
                .url(sim.baseUrl() + "/v1/" + model)
                .post(RequestBody.create(JSON.writeValueAsBytes(body), MediaType.get("application/json")));
        if (key != null) {
            request.header("x-key", key);
        }
        return call(request.build());
    }

    /** Submits and returns the polling URL, failing the test on anything but 200. */
    String submitOk(Map<String, Object> body) throws IOException {
        Answer answer = submit(body);
        if (answer.status() != 200) {
            throw new AssertionError("submit answered " + answer.status() + ": " + answer.text());
        }
        return answer.json().get("polling_url").asText();
    }

    Answer get(String url) throws IOException {
        return call(new Request.Builder().url(url).header("x-key", KEY).build());
    }

    JsonNode poll(String pollingUrl) throws IOException {
        Answer answer = get(pollingUrl);
        if (answer.status() != 200) {
            throw new AssertionError("poll answered " + answer.status() + ": " + answer.text());
        }
        return answer.json();
    }

    /** Polls every 50 ms until the status is no longer Pending. */
    JsonNode pollUntilEnded(String pollingUrl) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode answer = poll(pollingUrl);
            if (!answer.get("status").asText().equals("Pending")) {
                return answer;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("task still pending after 20 s");
    }

    Answer call(Request request) throws IOException {
        try (Response response = http.newCall(request).execute()) {
            return new Answer(
                    response.code(),
                    response.header("Content-Type"),
                    response.body().bytes(),
                    response.headers());
        }
    }
}
