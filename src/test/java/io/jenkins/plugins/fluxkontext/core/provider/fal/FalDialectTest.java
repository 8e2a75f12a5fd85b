package io.jenkins.plugins.fluxkontext.core.provider.fal;

import static io.jenkins.plugins.fluxkontext.core.provider.DialectContract.KEY;
import static io.jenkins.plugins.fluxkontext.core.provider.DialectContract.reply;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.fluxkontext.core.TestImages;
import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
import io.jenkins.plugins.fluxkontext.core.model.InputImage;
import io.jenkins.plugins.fluxkontext.core.provider.DialectContract;
import io.jenkins.plugins.fluxkontext.core.provider.PollOutcome;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderEndpoint;
import io.jenkins.plugins.fluxkontext.core.provider.TaskSpec;
import io.jenkins.plugins.fluxkontext.core.task.TaskHandle;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome.ModerationSide;
import java.net.URI;
import java.time.Instant;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

/** fal's queue contract and the Kontext input it shares with Runflow (docs.fal.ai, docs.runflow.io), offline. */
class FalDialectTest {

    private final FalDialect fal = new FalDialect();
    private final ProviderEndpoint endpoint = ProviderEndpoint.defaultFor(fal);
    private final TaskHandle handle = new TaskHandle(
            "fal",
            "req-1",
            "https://queue.fal.run/fal-ai/flux-pro/requests/req-1/status",
            "https://queue.fal.run/fal-ai/flux-pro/requests/req-1",
            "https://queue.fal.run/fal-ai/flux-pro/requests/req-1/cancel",
            1,
            4,
            Instant.EPOCH);

    private static GenerationRequest.Builder prompt() {
        return GenerationRequest.builder().prompt("p");
    }

    @Test
    void countsAreBatchedFourPerTaskWithTheSeedOfEachTasksFirstImage() {
        assertThat(fal.plan(prompt().count(9).seed(10L).build()))
                .containsExactly(new TaskSpec(1, 1, 4, 10L), new TaskSpec(2, 5, 4, 14L), new TaskSpec(3, 9, 1, 18L));
        assertThat(fal.plan(prompt().build())).containsExactly(new TaskSpec(1, 1, 1, null));
    }

    @Test
    void theEndpointFollowsTheModelAndTheNumberOfInputImages() {
        InputImage url = new InputImage.RemoteUrl(URI.create("https://x.example/a.png"));
        assertThat(FalDialect.modelId(prompt().build())).isEqualTo("fal-ai/flux-pro/kontext/max/text-to-image");
        assertThat(FalDialect.modelId(prompt().inputImage(url).build())).isEqualTo("fal-ai/flux-pro/kontext/max");
        assertThat(FalDialect.modelId(prompt().inputImage(url).inputImage(url).build()))
                .isEqualTo("fal-ai/flux-pro/kontext/max/multi");
        assertThat(FalDialect.modelId(prompt().model("flux-kontext-pro").build()))
                .isEqualTo("fal-ai/flux-pro/kontext/text-to-image");
        assertThat(RunflowDialect.modelId(
                        prompt().inputImage(url).model("flux-kontext-pro").build()))
                .isEqualTo("black-forest-labs/flux-pro/kontext");
    }

    @Test
    void theInputSpellsEveryFieldTheFalWay() throws Exception {
        byte[] png = TestImages.png(2, 2);
        var submit = fal.submitRequest(
                new TaskSpec(1, 1, 3, 8L),
                prompt().aspectRatio("32:18")
                        .safetyTolerance(6)
                        .promptUpsampling(true)
                        .inputImage(new InputImage.InlineBytes("a.png", png))
                        .inputImage(new InputImage.RemoteUrl(URI.create("https://x.example/b.png")))
                        .build(),
                endpoint,
                KEY);

        assertThat(submit.url().toString()).isEqualTo("https://queue.fal.run/fal-ai/flux-pro/kontext/max/multi");
        assertThat(submit.header("Authorization")).isEqualTo("Key " + KEY.reveal());
        var body = DialectContract.json(submit);
        assertThat(body.get("image_urls").get(0).asText()).startsWith("data:image/png;base64,");
        assertThat(body.get("image_urls").get(1).asText()).isEqualTo("https://x.example/b.png");
        assertThat(body.get("aspect_ratio").asText()).isEqualTo("16:9");
        assertThat(body.get("safety_tolerance").asText()).isEqualTo("6");
        assertThat(body.get("enhance_prompt").asBoolean()).isTrue();
        assertThat(body.get("num_images").asInt()).isEqualTo(3);
        assertThat(body.get("seed").asLong()).isEqualTo(8);
        assertThat(body.has("sync_mode"))
                .as("results must be URLs, not data URIs")
                .isFalse();
    }

    @Test
    void theSubmitAnswerGivesStatusResponseAndCancelUrls() throws Exception {
        var accepted = fal.readSubmitted(
                new TaskSpec(1, 1, 4, null),
                reply(
                        200,
                        "{\"request_id\":\"req-1\","
                                + "\"response_url\":\"https://queue.fal.run/fal-ai/flux-pro/requests/req-1\",\"status_url\":"
                                + "\"https://queue.fal.run/fal-ai/flux-pro/requests/req-1/status\",\"cancel_url\":"
                                + "\"https://queue.fal.run/fal-ai/flux-pro/requests/req-1/cancel\",\"status\":\"IN_QUEUE\"}"),
                endpoint,
                Instant.EPOCH);
        assertThat(accepted.handle()).isEqualTo(handle);
        for (String url : new String[] {handle.pollingUrl(), handle.resultUrl(), handle.cancelUrl()}) {
            assertThat(endpoint.mayReceiveKey(HttpUrl.get(url))).as(url).isTrue();
        }
        assertThat(endpoint.mayReceiveKey(HttpUrl.get("https://fal.run/fal-ai/x")))
                .isTrue();
        assertThat(endpoint.mayReceiveKey(HttpUrl.get("https://queue.falrun.com/fal-ai/x")))
                .as("fal's backup host is another domain: configure it as the base URL to use it")
                .isFalse();
    }

    @Test
    void statusesAndTheResultDocument() throws Exception {
        assertThat(fal.readPoll(handle, reply(202, "{\"status\":\"IN_QUEUE\",\"queue_position\":2}")))
                .isEqualTo(new PollOutcome.Running("IN_QUEUE", null));
        assertThat(fal.readPoll(handle, reply(202, "{\"status\":\"IN_PROGRESS\",\"logs\":[]}")))
                .isEqualTo(new PollOutcome.Running("IN_PROGRESS", null));
        assertThat(fal.readPoll(handle, reply(200, "{\"status\":\"COMPLETED\"}")))
                .isEqualTo(new PollOutcome.ResultAvailable("COMPLETED"));
        assertThat(fal.readPoll(handle, reply(200, "{\"status\":\"CANCELLED\"}")))
                .isInstanceOf(PollOutcome.Failed.class);
        assertThat(fal.readPoll(handle, reply(404, "{\"detail\":\"Request not found\"}")))
                .isInstanceOf(PollOutcome.NotFound.class);
        assertThat(fal.resultRequest(handle, endpoint, KEY).url().toString()).isEqualTo(handle.resultUrl());

        var ready = (PollOutcome.Ready) fal.readResult(
                handle,
                reply(
                        200,
                        "{\"images\":[{\"url\":"
                                + "\"https://v3.fal.media/files/a.png\",\"width\":1024,\"height\":1024,\"content_type\":\"image/png\"},"
                                + "{\"url\":\"https://v3.fal.media/files/b.png\"}],\"timings\":{},\"seed\":99,"
                                + "\"has_nsfw_concepts\":[false,false],\"prompt\":\"p\"}"));
        assertThat(ready.imageUrls()).hasSize(2);
        assertThat(ready.seed()).isEqualTo(99L);

        var flagged = (PollOutcome.Moderated) fal.readResult(
                handle,
                reply(200, "{\"images\":[{\"url\":\"u\"}," + "{\"url\":\"v\"}],\"has_nsfw_concepts\":[false,true]}"));
        assertThat(flagged.side()).isEqualTo(ModerationSide.OUTPUT);
        assertThat(flagged.reasons()).containsExactly("1 of 2 images flagged in has_nsfw_concepts");

        var infra = (PollOutcome.Failed) fal.readResult(
                handle,
                reply(
                        504,
                        "{\"detail\":\"Request timed out\"," + "\"error_type\":\"request_timeout\"}",
                        "X-Fal-Error-Type",
                        "request_timeout"));
        assertThat(infra.code()).isEqualTo("request_timeout");
        assertThat(infra.reason()).isEqualTo("Request timed out");

        var policy = (PollOutcome.Moderated) fal.readResult(
                handle,
                reply(
                        422,
                        "{\"detail\":[{\"loc\":[\"body\","
                                + "\"prompt\"],\"msg\":\"flagged\",\"type\":\"content_policy_violation\"}]}"));
        assertThat(policy.side()).isEqualTo(ModerationSide.UNKNOWN);
        assertThat(fal.readResult(handle, reply(404, "{\"detail\":\"gone\"}")))
                .isInstanceOf(PollOutcome.NotFound.class);
    }

    @Test
    void cancelIsAPutToTheCancelUrl() {
        var cancel = fal.cancelRequest(handle, endpoint, KEY);
        assertThat(cancel.method()).isEqualTo("PUT");
        assertThat(cancel.url().toString()).isEqualTo(handle.cancelUrl());
        assertThat(cancel.header("Authorization")).isEqualTo("Key " + KEY.reveal());
    }

    @Test
    void safetyZeroAndUnlistedRatiosAreRefused() {
        assertThat(fal.unsupported(
                        prompt().safetyTolerance(0).aspectRatio("5:4").build()))
                .extracting(v -> v.field())
                .containsExactly("safetyTolerance", "aspectRatio");
        assertThat(fal.unsupported(
                        prompt().safetyTolerance(1).aspectRatio("9:21").build()))
                .isEmpty();
        assertThat(fal.unsupported(prompt().aspectRatio("3:7").build()))
                .as("3:7 is 9:21")
                .isEmpty();
    }
}
