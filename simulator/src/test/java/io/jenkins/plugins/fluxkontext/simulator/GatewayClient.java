package io.jenkins.plugins.fluxkontext.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** A bare client for one gateway dialect in the tests: its base URL and auth header, real HTTP, no retries. */
final class GatewayClient {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String KEY = "gateway-test-key";

    final OkHttpClient http = new OkHttpClient.Builder()
            .retryOnConnectionFailure(false)
            .readTimeout(Duration.ofSeconds(70))
            .build();
    final String base;
    private final String authorization;

    /** {@code scheme} is {@code Bearer} or {@code Key}. */
    GatewayClient(FluxKontextSimulator sim, String provider, String scheme) {
        this.base = sim.baseUrl(provider).toString();
        this.authorization = scheme + " " + KEY;
    }

    record Answer(int status, byte[] body, Headers headers) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    Answer post(String path, Object body) throws IOException {
        return post(path, body, authorization, Map.of());
    }

    Answer post(String path, Object body, String authorization, Map<String, String> headers) throws IOException {
        Request.Builder request = new Request.Builder()
                .url(path.startsWith("http") ? path : base + path)
                .post(RequestBody.create(JSON.writeValueAsBytes(body), MediaType.get("application/json")));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        headers.forEach(request::header);
        return call(request.build());
    }

    Answer get(String url) throws IOException {
        return get(url, authorization);
    }

    Answer get(String url, String authorization) throws IOException {
        Request.Builder request = new Request.Builder().url(url.startsWith("http") ? url : base + url);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return call(request.build());
    }

    Answer put(String url) throws IOException {
        return call(new Request.Builder()
                .url(url)
                .header("Authorization", authorization)
                .put(RequestBody.create(new byte[0], null))
                .build());
    }

    Answer postEmpty(String url) throws IOException {
        return call(new Request.Builder()
                .url(url)
                .header("Authorization", authorization)
                .post(RequestBody.create(new byte[0], null))
                .build());
    }

    Answer upload(String path, String fileName, byte[] bytes, String mediaType) throws IOException {
        RequestBody form = new MultipartBody.Builder()
                .setType(MultipartBody.FORM)
                .addFormDataPart("file", fileName, RequestBody.create(bytes, MediaType.get(mediaType)))
                .addFormDataPart("purpose", "image-input")
                .build();
        return call(new Request.Builder()
                .url(base + path)
                .header("Authorization", authorization)
                .post(form)
                .build());
    }

    /** GETs {@code url} every 50 ms until {@code done} holds for the JSON answer; fails after 20 s. */
    JsonNode pollUntil(String url, Predicate<JsonNode> done) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            Answer answer = get(url);
            if (answer.status() / 100 == 2) {
                JsonNode json = answer.json();
                if (done.test(json)) {
                    return json;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("not done after 20 s: " + url);
    }

    Answer call(Request request) throws IOException {
        try (Response response = http.newCall(request).execute()) {
            return new Answer(response.code(), response.body().bytes(), response.headers());
        }
    }
}
