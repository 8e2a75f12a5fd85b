package io.jenkins.plugins.fluxkontext.bench.perf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.fluxkontext.simulator.FluxKontextSimulator;
import io.jenkins.plugins.fluxkontext.simulator.SimulatorSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The download part of an ideal run: how long the simulator takes to hand a wave of fresh result images to a plain
 * HTTP client on loopback that does nothing else (no engine, no file, no checks). A wave's images are fetched at
 * once, as the last wave of a run is: the run cannot end before they are all here, and nothing overlaps them. The
 * simulator paints an image on its first request, so this includes that work, as the engine's download does.
 */
final class LoopbackDownload {

    private static final ObjectMapper JSON = new ObjectMapper();

    private LoopbackDownload() {}

    /** Median over {@code rounds} of the time to download {@code wave} fresh images at once. */
    static Duration wave(int wave, int rounds) throws IOException, InterruptedException {
        // The task's own latency is not timed here, only the download after it.
        SimulatorSettings settings = SimulatorSettings.builder()
                .latency(Duration.ofMillis(20))
                .activeTaskLimit(wave)
                .randomSeed(3)
                .build();
        List<Duration> times = new ArrayList<>();
        try (FluxKontextSimulator sim = FluxKontextSimulator.start(settings);
                HttpClient http = HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .build()) {
            for (int round = 0; round <= rounds; round++) {
                List<URI> images = new ArrayList<>();
                for (int i = 0; i < wave; i++) {
                    images.add(readyImage(http, sim.baseUrl(), 10_000L * round + i));
                }
                long start = System.nanoTime();
                CompletableFuture.allOf(images.stream()
                                .map(uri -> CompletableFuture.runAsync(() -> fetch(http, uri)))
                                .toArray(CompletableFuture[]::new))
                        .join();
                if (round > 0) { // the first round warms the painter and the client up
                    times.add(Duration.ofNanos(System.nanoTime() - start));
                }
            }
        }
        return Lags.rank(times.stream().sorted().toList(), 0.5);
    }

    private static void fetch(HttpClient http, URI image) {
        try {
            HttpResponse<InputStream> answer =
                    http.send(HttpRequest.newBuilder(image).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = answer.body()) {
                body.transferTo(OutputStream.nullOutputStream());
            }
            if (answer.statusCode() != 200) {
                throw new IOException("the simulator answered " + answer.statusCode() + " for an image");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static URI readyImage(HttpClient http, URI base, long seed) throws IOException, InterruptedException {
        String body = JSON.writeValueAsString(Map.of("prompt", SimulatedAccount.PROMPT, "seed", seed));
        HttpResponse<String> submitted = http.send(
                HttpRequest.newBuilder(base.resolve("/v1/flux-kontext-max"))
                        .header("x-key", "bench")
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        URI polling =
                URI.create(JSON.readTree(submitted.body()).get("polling_url").asText());
        while (true) {
            JsonNode status = JSON.readTree(http.send(
                            HttpRequest.newBuilder(polling)
                                    .header("x-key", "bench")
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body());
            if ("Ready".equals(status.path("status").asText())) {
                return URI.create(status.path("result").path("sample").asText());
            }
            Thread.sleep(5);
        }
    }
}
