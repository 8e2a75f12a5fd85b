package io.jenkins.plugins.fluxkontext.core.provider.toapis;

import static io.jenkins.plugins.fluxkontext.core.provider.DialectContract.KEY;
import static io.jenkins.plugins.fluxkontext.core.provider.DialectContract.reply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.fluxkontext.core.TestImages;
import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
import io.jenkins.plugins.fluxkontext.core.model.InputImage;
import io.jenkins.plugins.fluxkontext.core.provider.DialectContract;
import io.jenkins.plugins.fluxkontext.core.provider.MalformedReplyException;
import io.jenkins.plugins.fluxkontext.core.provider.PollOutcome;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderEndpoint;
import io.jenkins.plugins.fluxkontext.core.provider.TaskSpec;
import io.jenkins.plugins.fluxkontext.core.provider.catalog.Providers;
import io.jenkins.plugins.fluxkontext.core.task.TaskHandle;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome.ModerationSide;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome.RejectionKind;
import java.net.URI;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The ToAPIs wire contract (docs.toapis.com: flux-kontext generation, task status, uploads), without a network. */
class ToApisDialectTest {

    private final ToApisDialect toapis = new ToApisDialect();
    private final ProviderEndpoint endpoint = ProviderEndpoint.defaultFor(toapis);
    private final TaskHandle handle =
            DialectContract.handle("toapis", "task_img_1", "https://toapis.com/v1/images/generations/task_img_1");

    @Test
    void isRegisteredWithItsDocumentedBaseUrl() {
        assertThat(Providers.byId("toapis")).isInstanceOf(ToApisDialect.class);
        assertThat(toapis.defaultBaseUrl()).hasToString("https://toapis.com");
    }

    @Test
    void theSubmitAnswerBecomesAHandlePolledAtTheTaskUrl() throws Exception {
        var accepted = toapis.readSubmitted(
                new TaskSpec(1, 1, 1, null),
                reply(
                        200,
                        "{\"id\":\"task_img_1\","
                                + "\"object\":\"generation.task\",\"model\":\"flux-kontext-pro\",\"status\":\"queued\",\"progress\":0,"
                                + "\"created_at\":1703884800,\"metadata\":{}}"),
                endpoint,
                Instant.EPOCH);

        assertThat(accepted.handle().pollingUrl()).isEqualTo("https://toapis.com/v1/images/generations/task_img_1");
        assertThat(accepted.cost()).isNull();
        assertThat(toapis.pollRequest(accepted.handle(), endpoint, KEY).header("Authorization"))
                .isEqualTo("Bearer " + KEY.reveal());
    }

    @Test
    void everyRunningStatusKeepsPolling() throws Exception {
        for (String status : new String[] {"queued", "submitted", "pending", "in_progress"}) {
            assertThat(toapis.readPoll(handle, reply(200, "{\"status\":\"" + status + "\",\"progress\":50}")))
                    .isEqualTo(new PollOutcome.Running(status, 50));
        }
    }

    @Test
    void completedReadsResultDataUrlsAndFallsBackToUrl() throws Exception {
        var ready = (PollOutcome.Ready)
                toapis.readPoll(
                        handle,
                        reply(
                                200,
                                "{\"status\":\"completed\",\"result\":"
                                        + "{\"type\":\"image\",\"data\":[{\"url\":\"https://files.toapis.com/generated/a.jpg\"}]}}"));
        assertThat(ready.imageUrls()).containsExactly("https://files.toapis.com/generated/a.jpg");

        var fallback = (PollOutcome.Ready) toapis.readPoll(
                handle,
                reply(200, "{\"status\":\"completed\"," + "\"url\":\"https://files.toapis.com/generated/b.jpg\"}"));
        assertThat(fallback.imageUrls()).containsExactly("https://files.toapis.com/generated/b.jpg");

        assertThatThrownBy(() -> toapis.readPoll(handle, reply(200, "{\"status\":\"completed\"}")))
                .isInstanceOf(MalformedReplyException.class);
    }

    @Test
    void failedAndModeratedAndNotFoundAndUnknown() throws Exception {
        var failed = (PollOutcome.Failed) toapis.readPoll(
                handle,
                reply(
                        200,
                        "{\"status\":\"failed\",\"error\":"
                                + "{\"code\":\"generation_failed\",\"message\":\"call upstream API failed\"}}"));
        assertThat(failed.code()).isEqualTo("generation_failed");
        assertThat(failed.reason()).isEqualTo("call upstream API failed");

        var moderatedTask = (PollOutcome.Moderated) toapis.readPoll(
                handle,
                reply(
                        200,
                        "{\"status\":\"failed\","
                                + "\"error\":{\"code\":\"content_policy_violation\",\"message\":\"blocked\"}}"));
        assertThat(moderatedTask.side()).isEqualTo(ModerationSide.UNKNOWN);

        var moderated = (PollOutcome.Moderated) toapis.readPoll(
                handle, reply(422, "{\"error\":{\"code\":" + "\"content_policy_violation\",\"message\":\"blocked\"}}"));
        assertThat(moderated.side()).isEqualTo(ModerationSide.UNKNOWN);
        assertThat(moderated.reasons()).containsExactly("content_policy_violation: blocked");

        assertThat(toapis.readPoll(
                        handle,
                        reply(
                                404,
                                "{\"error\":{\"code\":404,\"message\":\"Task not found\","
                                        + "\"type\":\"not_found_error\"}}")))
                .isInstanceOf(PollOutcome.NotFound.class);
        assertThat(toapis.readPoll(
                        handle,
                        reply(
                                401,
                                "{\"error\":{\"code\":401,\"message\":\"Authentication "
                                        + "failed\",\"type\":\"authentication_error\"}}")))
                .isInstanceOf(PollOutcome.Failed.class);
        assertThat(toapis.readPoll(handle, reply(200, "{\"status\":\"paused\"}")))
                .isInstanceOfSatisfying(
                        PollOutcome.Failed.class, f -> assertThat(f.code()).isEqualTo("unknown status"));
    }

    @Test
    void refusalsNameTheirKindAndAContentPolicyRefusalSaysModerated() {
        assertThat(toapis.readRefusal(
                                reply(402, "{\"error\":{\"code\":\"insufficient_quota\",\"message\":\"top up\"}}"))
                        .kind())
                .isEqualTo(RejectionKind.INSUFFICIENT_CREDITS);
        assertThat(toapis.readRefusal(reply(
                                422, "{\"error\":{\"code\":\"content_policy_violation\",\"message\":" + "\"no\"}}"))
                        .moderation())
                .isEqualTo(ModerationSide.REQUEST);
        assertThat(toapis.readRefusal(
                                reply(422, "{\"error\":{\"code\":\"invalid_request\",\"message\":" + "\"bad size\"}}"))
                        .moderation())
                .isNull();
    }

    @Test
    void aLocalImageIsUploadedAsMultipartAndAUrlIsNot() throws Exception {
        var upload = toapis.uploadRequest(new InputImage.InlineBytes("in.png", TestImages.png(2, 2)), endpoint, KEY);
        assertThat(upload.url().toString()).isEqualTo("https://toapis.com/v1/uploads/images");
        assertThat(upload.header("Authorization")).isEqualTo("Bearer " + KEY.reveal());
        assertThat(DialectContract.bodyText(upload))
                .contains("name=\"file\"; filename=\"input.png\"", "Content-Type: image/png");
        assertThat(toapis.uploadRequest(new InputImage.RemoteUrl(URI.create("https://x.example/a.png")), endpoint, KEY))
                .isNull();

        assertThat(toapis.readUpload(reply(
                        200,
                        "{\"success\":true,\"message\":\"\",\"data\":{\"id\":\"f1\",\"url\":"
                                + "\"https://files.toapis.com/u/f1.png\",\"mime_type\":\"image/png\",\"size\":10}}")))
                .hasToString("https://files.toapis.com/u/f1.png");
        assertThatThrownBy(() -> toapis.readUpload(reply(200, "{\"success\":false,\"message\":\"too big\"}")))
                .hasMessageContaining("too big");
    }

    @Test
    void aSubmitWithALocalImageNotYetUploadedIsRefusedLocally() {
        GenerationRequest request = GenerationRequest.builder()
                .prompt("p")
                .inputImage(new InputImage.InlineBytes("in.png", TestImages.png(2, 2)))
                .build();
        assertThatThrownBy(() -> toapis.submitRequest(new TaskSpec(1, 1, 1, null), request, endpoint, KEY))
                .hasMessageContaining("URL only");
    }

    @Test
    void sizesMapExactlyOrAreRefused() throws Exception {
        GenerationRequest twoByTwo =
                GenerationRequest.builder().prompt("p").aspectRatio("2:2").build();
        assertThat(toapis.unsupported(twoByTwo)).isEmpty();
        assertThat(DialectContract.json(toapis.submitRequest(new TaskSpec(1, 1, 1, null), twoByTwo, endpoint, KEY))
                        .get("size")
                        .asText())
                .isEqualTo("1:1");
        assertThat(toapis.unsupported(GenerationRequest.builder()
                        .prompt("p")
                        .aspectRatio("4:5")
                        .build()))
                .singleElement()
                .satisfies(v -> assertThat(v.message()).contains("ToAPIs takes only 1:1, 4:3"));
    }

    @Test
    void anInputFileOverTenMegabytesIsRefused() {
        byte[] big = new byte[(int) ToApisDialect.MAX_UPLOAD_BYTES + 1];
        byte[] png = TestImages.png(2, 2);
        System.arraycopy(png, 0, big, 0, png.length);
        assertThat(toapis.unsupported(GenerationRequest.builder()
                        .prompt("p")
                        .inputImage(new InputImage.InlineBytes("big.png", big))
                        .build()))
                .singleElement()
                .satisfies(v -> assertThat(v.allowed()).contains("at most 10 MB"));
    }
}
