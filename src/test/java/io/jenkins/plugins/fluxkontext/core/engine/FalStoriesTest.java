package io.jenkins.plugins.fluxkontext.core.engine;

import static io.jenkins.plugins.fluxkontext.core.engine.FakeGateway.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.fluxkontext.core.model.InvalidRequestException;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderDialect;
import io.jenkins.plugins.fluxkontext.core.provider.fal.FalDialect;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** fal's queue API through the engine, on a fake fal. */
class FalStoriesTest extends GatewayStory {

    private volatile String responseHost;

    @Override
    ProviderDialect dialect() {
        return new FalDialect();
    }

    @Override
    String[] authHeader() {
        return new String[] {"Authorization", "Key " + KEY};
    }

    @BeforeEach
    void acceptSubmits() {
        gateway.on("POST", "/fal-ai/flux-pro/kontext/", (r, n) -> {
            String id = "req-" + n;
            String base = gateway.url("/fal-ai/flux-pro/requests/" + id);
            String response = responseHost == null ? base : responseHost + "/fal-ai/flux-pro/requests/" + id;
            return json(
                    200,
                    "{\"status\":\"IN_QUEUE\",\"request_id\":\"" + id + "\",\"response_url\":\"" + response
                            + "\",\"status_url\":\"" + base + "/status\",\"cancel_url\":\"" + base + "/cancel\"}");
        });
    }

    /** IN_QUEUE (202), IN_PROGRESS (202), then COMPLETED (200) for every request; the result from {@code result}. */
    private void script(BiFunction<String, RecordedRequest, MockResponse> result) {
        Map<String, Integer> polls = new ConcurrentHashMap<>();
        gateway.on("GET", "/fal-ai/flux-pro/requests/", (r, n) -> {
            List<String> segments = r.getUrl().pathSegments();
            String id = segments.get(3);
            if (segments.size() == 6 && segments.get(5).equals("stream")) {
                // These stories poll: a fal (or a proxy in front of it) that does not stream its status.
                return json(404, "{\"detail\":\"Not Found\"}");
            }
            if (segments.size() == 5 && segments.get(4).equals("status")) {
                int poll = polls.merge(id, 1, Integer::sum);
                return switch (poll) {
                    case 1 -> json(202, "{\"status\":\"IN_QUEUE\",\"queue_position\":0,\"response_url\":\"x\"}");
                    case 2 -> json(202, "{\"status\":\"IN_PROGRESS\",\"response_url\":\"x\",\"logs\":[]}");
                    default -> json(200, "{\"status\":\"COMPLETED\",\"response_url\":\"x\",\"logs\":[]}");
                };
            }
            return result.apply(id, r);
        });
    }

    private MockResponse images(String id, int count, boolean flagged) {
        StringBuilder images = new StringBuilder();
        StringBuilder flags = new StringBuilder();
        for (int i = 0; i < count; i++) {
            images.append(i == 0 ? "" : ",")
                    .append("{\"url\":\"")
                    .append(gateway.imageUrl(id + "-" + i + ".png"))
                    .append("\",\"width\":8,\"height\":6,\"content_type\":\"image/png\"}");
            flags.append(i == 0 ? "" : ",").append(flagged && i == count - 1);
        }
        return json(
                200,
                "{\"images\":[" + images + "],\"timings\":{\"inference\":3.2},\"seed\":1234,"
                        + "\"has_nsfw_concepts\":[" + flags + "],\"prompt\":\"p\"}");
    }

    private static MockResponse events(String... statuses) {
        StringBuilder stream = new StringBuilder(": fal status stream\n\n");
        for (String status : statuses) {
            stream.append("data: {\"status\":\"").append(status).append("\",\"response_url\":\"x\",\"logs\":[]}\n\n");
        }
        return new MockResponse.Builder()
                .setHeader("Content-Type", "text/event-stream")
                .body(stream.toString())
                .build();
    }

    /**
     * fal "Streams the status of a request until it's completed" (docs.fal.ai, queue): the engine reads that stream
     * instead of polling, so a task costs its submit, one stream and one result request, and the end is known the
     * moment fal sends it.
     */
    @Test
    void theStatusIsReadFromTheStreamWithoutAPoll() throws Exception {
        gateway.on("GET", "/fal-ai/flux-pro/requests/", (r, n) -> {
            List<String> segments = r.getUrl().pathSegments();
            if (segments.size() == 6 && segments.get(5).equals("stream")) {
                return events("IN_QUEUE", "IN_PROGRESS", "COMPLETED");
            }
            if (segments.size() == 5) {
                return json(500, "{\"detail\":\"polled\"}");
            }
            return images(segments.get(3), 1, false);
        });

        TaskOutcome outcome = runOne(prompt().build());

        assertThat(outcome).isInstanceOf(TaskOutcome.Succeeded.class);
        assertThat(imageFiles()).containsExactly("flux-kontext-1.png");
        RecordedRequest stream = gateway.requests("GET", "/fal-ai/flux-pro/requests/req-1/status/stream")
                .get(0);
        assertThat(stream.getHeaders().get("Accept")).isEqualTo("text/event-stream");
        assertThat(gateway.count("GET", "/fal-ai/flux-pro/requests/req-1/status/stream"))
                .isEqualTo(1);
        assertThat(gateway.requests().stream()
                        .filter(r -> r.getUrl().encodedPath().endsWith("/status"))
                        .count())
                .as("status polls")
                .isZero();
        assertThat(events(ProgressEvent.StatusChanged.class))
                .extracting(ProgressEvent.StatusChanged::status)
                .containsExactly("IN_QUEUE", "IN_PROGRESS", "COMPLETED");
        assertThat(time.sleeps()).as("no wait at all").isEmpty();
    }

    /** A stream that ends before the task did is opened again; the second connection tells the end. */
    @Test
    void aStreamThatEndsEarlyIsOpenedAgain() throws Exception {
        gateway.on("GET", "/fal-ai/flux-pro/requests/", (r, n) -> {
            List<String> segments = r.getUrl().pathSegments();
            if (segments.size() == 6) {
                return n == 1 ? events("IN_QUEUE", "IN_PROGRESS") : events("IN_PROGRESS", "COMPLETED");
            }
            return images(segments.get(3), 1, false);
        });

        TaskOutcome outcome = runOne(prompt().build());

        assertThat(outcome).isInstanceOf(TaskOutcome.Succeeded.class);
        assertThat(gateway.count("GET", "/fal-ai/flux-pro/requests/req-1/status/stream"))
                .isEqualTo(2);
    }

    /** A stream that keeps breaking off without a word is given up: the status is polled instead. */
    @Test
    void aStreamThatNeverSaysAnythingGivesWayToPolling() throws Exception {
        gateway.on("GET", "/fal-ai/flux-pro/requests/", (r, n) -> {
            List<String> segments = r.getUrl().pathSegments();
            if (segments.size() == 6) {
                return events();
            }
            if (segments.size() == 5) {
                return json(200, "{\"status\":\"COMPLETED\",\"response_url\":\"x\",\"logs\":[]}");
            }
            return images(segments.get(3), 1, false);
        });

        TaskOutcome outcome = runOne(prompt().build());

        assertThat(outcome).isInstanceOf(TaskOutcome.Succeeded.class);
        assertThat(gateway.count("GET", "/fal-ai/flux-pro/requests/req-1/status/stream"))
                .isEqualTo(3);
        assertThat(gateway.requests().stream()
                        .filter(r -> r.getUrl().encodedPath().endsWith("/status"))
                        .count())
                .as("status polls")
                .isEqualTo(1);
    }

    @Test
    void sixImagesGoAsTwoTasksOfFourAndTwoAndAllLandOnDisk() throws Exception {
        script((id, r) -> images(id, id.equals("req-1") || id.equals("req-2") ? countFor(id) : 0, false));

        GenerationResult result = run(prompt().count(6).seed(100L).build());

        assertThat(result.allSucceeded()).isTrue();
        assertThat(imageFiles()).hasSize(6);
        List<RecordedRequest> submits = gateway.requests("POST", "/fal-ai/flux-pro/kontext/max/text-to-image");
        assertThat(submits).hasSize(2);
        List<JsonNode> bodies = submits.stream()
                .map(r -> {
                    try {
                        return body(r);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })
                .toList();
        assertThat(bodies).extracting(b -> b.get("num_images").asInt()).containsExactlyInAnyOrder(4, 2);
        assertThat(bodies).extracting(b -> b.get("seed").asLong()).containsExactlyInAnyOrder(100L, 104L);
        assertThat(bodies.get(0).get("safety_tolerance").isTextual())
                .as("a string")
                .isTrue();
        assertThat(bodies.get(0).get("output_format").asText()).isEqualTo("png");
        assertThat(gateway.count("GET", "/files/")).isEqualTo(6);
    }

    private int countFor(String id) {
        // Which of the two concurrent submits got req-1 is up to the scheduler: read the count it asked for.
        return gateway.requests("POST", "/fal-ai/").stream()
                .map(r -> {
                    try {
                        return body(r).get("num_images").asInt();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })
                .toList()
                .get(Integer.parseInt(id.substring(4)) - 1);
    }

    @Test
    void aModelErrorIsReadFromTheResponseUrl() throws Exception {
        script((id, r) -> json(
                422,
                "{\"detail\":[{\"loc\":[\"body\",\"image_url\"],\"msg\":\"Could not download "
                        + "the image\",\"type\":\"image_load_error\",\"url\":\"https://docs.fal.ai/errors\"}]}"));

        TaskOutcome outcome = runOne(prompt().build());

        assertThat(outcome).isInstanceOf(TaskOutcome.Failed.class);
        assertThat(outcome.message()).contains("req-1", "image_load_error", "image_url: Could not download");
        assertThat(imageFiles()).isEmpty();
    }

    @Test
    void aFlaggedImageIsModeratedOnTheOutputSideAndNothingIsDownloaded() throws Exception {
        script((id, r) -> images(id, 1, true));

        TaskOutcome outcome = runOne(prompt().build());

        assertThat(outcome).isInstanceOf(TaskOutcome.Moderated.class);
        assertThat(((TaskOutcome.Moderated) outcome).side()).isEqualTo(TaskOutcome.ModerationSide.OUTPUT);
        assertThat(outcome.message()).contains("has_nsfw_concepts");
        assertThat(gateway.count("GET", "/files/")).isZero();
    }

    @Test
    void aResponseUrlOutsideTheBaseUrlNeverGetsTheKey() throws Exception {
        responseHost = "https://queue.fal.run.evil.example";
        script((id, r) -> images(id, 1, false));

        TaskOutcome outcome = runOne(prompt().build());

        assertThat(outcome).isInstanceOf(TaskOutcome.Failed.class);
        assertThat(outcome.message()).contains("evil.example", "the API key was not sent there");
        assertThat(gateway.count("GET", "/fal-ai/")).isZero();
    }

    @Test
    void fieldsFalCannotHonourAreRefusedBeforeAnyCall() {
        assertThatThrownBy(
                        () -> run(prompt().safetyTolerance(0).aspectRatio("5:4").build()))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("safetyTolerance: \"0\" is not allowed; fal takes 1 (strictest) to 6")
                .hasMessageContaining("aspectRatio: \"5:4\" is not allowed; fal takes only 21:9, 16:9");
        assertThat(gateway.requests()).isEmpty();
    }
}
