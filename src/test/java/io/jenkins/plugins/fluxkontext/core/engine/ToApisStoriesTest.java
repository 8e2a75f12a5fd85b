package io.jenkins.plugins.fluxkontext.core.engine;

import static io.jenkins.plugins.fluxkontext.core.engine.FakeGateway.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.fluxkontext.core.TestImages;
import io.jenkins.plugins.fluxkontext.core.model.InputImage;
import io.jenkins.plugins.fluxkontext.core.model.InvalidRequestException;
import io.jenkins.plugins.fluxkontext.core.model.OutputFormat;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderDialect;
import io.jenkins.plugins.fluxkontext.core.provider.toapis.ToApisDialect;
import io.jenkins.plugins.fluxkontext.core.task.Billing;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ToAPIs through the engine, on a fake ToAPIs. */
class ToApisStoriesTest extends GatewayStory {

    @TempDir
    Path inputs;

    @Override
    ProviderDialect dialect() {
        return new ToApisDialect();
    }

    @BeforeEach
    void acceptSubmits() {
        gateway.on(
                "POST",
                "/v1/images/generations",
                (r, n) -> json(
                        200,
                        "{\"id\":\"task_img_" + n
                                + "\",\"object\":\"generation.task\",\"model\":\"flux-kontext-max\",\"status\":\"queued\","
                                + "\"progress\":0,\"created_at\":1703884800,\"metadata\":{}}"));
    }

    private MockResponse inProgress(int percent) {
        return json(
                200,
                "{\"id\":\"task_img_1\",\"object\":\"generation.task\",\"model\":\"flux-kontext-max\","
                        + "\"status\":\"in_progress\",\"progress\":" + percent + ",\"created_at\":1703884800}");
    }

    private MockResponse completed(String file) {
        return json(
                200,
                "{\"id\":\"task_img_1\",\"object\":\"generation.task\",\"model\":\"flux-kontext-max\","
                        + "\"status\":\"completed\",\"progress\":100,\"created_at\":1703884800,\"completed_at\":1703884830,"
                        + "\"expires_at\":1703971230,\"result\":{\"type\":\"image\",\"data\":[{\"url\":\""
                        + gateway.imageUrl(file) + "\"}]}}");
    }

    @Test
    void aTextToImageTaskRunsFromQueuedToCompletedAndTheImageIsOnDisk() throws Exception {
        gateway.on("GET", "/v1/images/generations/", inProgress(0), inProgress(50), completed("a.jpg"));
        gateway.on("GET", "/files/a.jpg", FakeGateway.image(TestImages.jpeg(8, 6)));

        TaskOutcome outcome = runOne(prompt().aspectRatio("16:9")
                .outputFormat(OutputFormat.JPEG)
                .safetyTolerance(4)
                .promptUpsampling(true)
                .build());

        assertThat(outcome).isInstanceOf(TaskOutcome.Succeeded.class);
        assertThat(outcome.taskId()).isEqualTo("task_img_1");
        assertThat(imageFiles()).containsExactly("flux-kontext-1.jpg");
        JsonNode body = body(gateway.requests("POST", "/v1/images/generations").get(0));
        assertThat(body.get("model").asText()).isEqualTo("flux-kontext-max");
        assertThat(body.get("size").asText()).isEqualTo("16:9");
        assertThat(body.has("image_urls")).isFalse();
        assertThat(body.has("seed")).isFalse();
        assertThat(body.at("/metadata/response_format").asText())
                .as("ToAPIs spells it jpg")
                .isEqualTo("jpg");
        assertThat(body.at("/metadata/safety_tolerance").asInt()).isEqualTo(4);
        assertThat(body.at("/metadata/prompt_upsampling").asBoolean()).isTrue();
        assertThat(gateway.count("GET", "/v1/images/generations/task_img_1")).isEqualTo(3);
        assertThat(events(ProgressEvent.Progress.class))
                .extracting(ProgressEvent.Progress::percent)
                .containsExactly(0, 50);
    }

    /**
     * "If the submit limiter is temporarily unavailable, ToAPIs returns 503 with code rate_limit_unavailable", and
     * clients "honor Retry-After, and use exponential backoff after 429 or 503" (ToAPIs' rate-limit docs): the limiter
     * stands before any task exists, so the submit is sent again after the wait, and only one task is made.
     */
    @Test
    void aSubmitRefusedBecauseTheLimiterIsDownIsSentAgainAfterItsRetryAfter() throws Exception {
        gateway.on(
                "POST",
                "/v1/images/generations",
                (r, n) -> n == 1
                        ? new MockResponse.Builder()
                                .code(503)
                                .setHeader("Content-Type", "application/json")
                                .setHeader("Retry-After", "2")
                                .body("{\"error\":{\"code\":\"rate_limit_unavailable\",\"message\":\"The async task"
                                        + " submit limiter is temporarily unavailable\"}}")
                                .build()
                        : json(
                                200,
                                "{\"id\":\"task_img_1\",\"object\":\"generation.task\",\"model\":\"flux-kontext-max\","
                                        + "\"status\":\"queued\",\"progress\":0,\"created_at\":1703884800,\"metadata\":{}}"));
        gateway.on("GET", "/v1/images/generations/", completed("a.png"));

        TaskOutcome outcome = runOne(prompt().build());

        assertThat(outcome).isInstanceOf(TaskOutcome.Succeeded.class);
        assertThat(imageFiles()).containsExactly("flux-kontext-1.png");
        assertThat(gateway.count("POST", "/v1/images/generations")).isEqualTo(2);
        assertThat(time.sleeps()).first().as("Retry-After").isEqualTo(Duration.ofSeconds(2));
        assertThat(events(ProgressEvent.Retrying.class))
                .singleElement()
                .satisfies(r -> assertThat(r.toString()).contains("HTTP 503", "rate_limit_unavailable"));
    }

    /** Any other 503 at the submit may have created a task: never sent again. */
    @Test
    void anyOther503AtTheSubmitStaysAmbiguous() throws Exception {
        gateway.on(
                "POST",
                "/v1/images/generations",
                json(503, "{\"error\":{\"code\":\"internal_error\",\"message\":\"upstream unavailable\"}}"));

        TaskOutcome outcome = runOne(prompt().build());

        assertThat(outcome).isInstanceOf(TaskOutcome.SubmitAmbiguous.class);
        assertThat(gateway.count("POST", "/v1/images/generations")).isEqualTo(1);
    }

    /**
     * "Initial wait: 5 seconds / Polling interval: at least 5–10 seconds with random jitter" (ToAPIs' image-status
     * docs): whatever the engine's schedule would do, the first status request comes 5 s after the submit at the
     * earliest, and the next ones at least 5 s apart, a share of a second of jitter added.
     */
    @Test
    void statusRequestsKeepToapisDocumentedPacing() throws Exception {
        replaceEngine(GenerationEngine.builder().pollSchedule(PollSchedule.fixed(Duration.ofMillis(100))));
        gateway.on("GET", "/v1/images/generations/", inProgress(10), inProgress(60), completed("a.png"));

        TaskOutcome outcome = runOne(prompt().build());

        assertThat(outcome).isInstanceOf(TaskOutcome.Succeeded.class);
        // quarterJitter draws a quarter of the 1 s jitter.
        assertThat(time.sleeps())
                .as("waits before the three status requests")
                .startsWith(Duration.ofMillis(5250), Duration.ofMillis(5250), Duration.ofMillis(5250));
    }

    @Test
    void aLocalInputImageIsUploadedOnceAndSentAsTheReturnedUrl() throws Exception {
        Path photo = inputs.resolve("photo.png");
        byte[] bytes = TestImages.png(4, 4);
        Files.write(photo, bytes);
        gateway.on(
                "POST",
                "/v1/uploads/images",
                json(
                        200,
                        "{\"success\":true,\"message\":\"\",\"data\":{\"id\":"
                                + "\"file_1\",\"url\":\"https://files.toapis.com/uploads/file_1.png\",\"mime_type\":\"image/png\","
                                + "\"size\":" + bytes.length + "}}"));
        gateway.on(
                "GET",
                "/v1/images/generations/",
                (r, n) -> completed(r.getUrl().pathSegments().get(3) + ".png"));

        GenerationResult result = run(
                prompt().inputImage(new InputImage.LocalFile(photo)).count(2).build());

        assertThat(result.allSucceeded()).isTrue();
        assertThat(imageFiles()).containsExactly("flux-kontext-1.png", "flux-kontext-2.png");
        assertThat(gateway.count("POST", "/v1/uploads/images"))
                .as("one upload for both tasks")
                .isEqualTo(1);
        RecordedRequest upload = gateway.requests("POST", "/v1/uploads/images").get(0);
        assertThat(upload.getHeaders().get("Content-Type")).startsWith("multipart/form-data");
        assertThat(upload.getBody().utf8()).contains("name=\"file\"", "filename=\"input.png\"");
        for (RecordedRequest submit : gateway.requests("POST", "/v1/images/generations")) {
            assertThat(body(submit).get("image_urls").get(0).asText())
                    .isEqualTo("https://files.toapis.com/uploads/file_1.png");
        }
        assertThat(gateway.count("POST", "/v1/images/generations")).isEqualTo(2);
    }

    @Test
    void aRefusedUploadSubmitsNothing() throws Exception {
        Path photo = inputs.resolve("photo.png");
        Files.write(photo, TestImages.png(4, 4));
        gateway.on("POST", "/v1/uploads/images", json(400, "{\"success\":false,\"message\":\"unsupported file\"}"));

        TaskOutcome outcome =
                runOne(prompt().inputImage(new InputImage.LocalFile(photo)).build());

        assertThat(outcome).isInstanceOf(TaskOutcome.NotSubmitted.class);
        assertThat(outcome.message()).contains("could not be uploaded to ToAPIs", "HTTP 400", "unsupported file");
        assertThat(gateway.count("POST", "/v1/images/generations")).isZero();
    }

    @Test
    void aFailedTaskFailsWithTheProvidersCodeAndMessage() throws Exception {
        gateway.on(
                "GET",
                "/v1/images/generations/",
                json(
                        200,
                        "{\"id\":\"task_img_1\",\"object\":"
                                + "\"generation.task\",\"model\":\"flux-kontext-max\",\"status\":\"failed\",\"progress\":0,"
                                + "\"error\":{\"code\":\"generation_failed\",\"message\":\"call upstream API failed: upstream "
                                + "returned status 422\"}}"));

        TaskOutcome outcome = runOne(prompt().build());

        assertThat(outcome).isInstanceOf(TaskOutcome.Failed.class);
        assertThat(outcome.message()).contains("task_img_1", "generation_failed", "upstream returned status 422");
        assertThat(imageFiles()).isEmpty();
    }

    @Test
    void aContentPolicyViolationIsModerationOnAnUnknownSide() throws Exception {
        gateway.on(
                "GET",
                "/v1/images/generations/",
                json(
                        422,
                        "{\"error\":{\"code\":\"content_policy_violation\","
                                + "\"message\":\"The prompt violates the content policy\",\"type\":\"content_policy_violation\"}}"));

        TaskOutcome outcome = runOne(prompt().build());

        assertThat(outcome).isInstanceOf(TaskOutcome.Moderated.class);
        assertThat(((TaskOutcome.Moderated) outcome).side()).isEqualTo(TaskOutcome.ModerationSide.UNKNOWN);
        assertThat(outcome.message()).contains("violates the content policy");
        assertThat(gateway.count("GET", "/files/")).isZero();
    }

    @Test
    void aContentPolicyRefusalAtTheSubmitIsAModeratedRequestThatCreatedNothing() throws Exception {
        gateway.on(
                "POST",
                "/v1/images/generations",
                json(
                        422,
                        "{\"error\":{\"code\":\"content_policy_violation\","
                                + "\"message\":\"The prompt violates the content policy\",\"type\":\"content_policy_violation\"}}"));

        TaskOutcome outcome = runOne(prompt().build());

        assertThat(outcome).isInstanceOfSatisfying(TaskOutcome.Moderated.class, moderated -> {
            assertThat(moderated.side()).isEqualTo(TaskOutcome.ModerationSide.REQUEST);
            assertThat(moderated.billing()).isEqualTo(Billing.NOT_BILLED);
            assertThat(moderated.taskId()).isNull();
        });
        assertThat(outcome.message()).contains("refused at submit", "violates the content policy");
        assertThat(gateway.count("GET", "/v1/images/generations/")).isZero();
    }

    @Test
    void anUnknownTaskIsNotFound() throws Exception {
        gateway.on(
                "GET",
                "/v1/images/generations/",
                json(
                        404,
                        "{\"error\":{\"code\":404,\"message\":" + "\"Task not found\",\"type\":\"not_found_error\"}}"));

        assertThat(runOne(prompt().build())).isInstanceOf(TaskOutcome.NotFound.class);
    }

    @Test
    void fieldsToApisCannotHonourAreRefusedBeforeAnyCall() {
        assertThatThrownBy(() -> run(prompt().seed(7L)
                        .aspectRatio("5:4")
                        .inputImage(new InputImage.RemoteUrl(URI.create("https://example.com/a.png")))
                        .inputImage(new InputImage.RemoteUrl(URI.create("https://example.com/b.png")))
                        .build()))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("seed")
                .hasMessageContaining("at most 1 input image")
                .hasMessageContaining("aspectRatio");
        assertThat(gateway.requests()).isEmpty();
    }
}
