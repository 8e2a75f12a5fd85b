package io.jenkins.plugins.fluxkontext.core.provider.vtrix;

import static io.jenkins.plugins.fluxkontext.core.provider.DialectContract.KEY;
import static io.jenkins.plugins.fluxkontext.core.provider.DialectContract.reply;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
import io.jenkins.plugins.fluxkontext.core.model.OutputFormat;
import io.jenkins.plugins.fluxkontext.core.provider.DialectContract;
import io.jenkins.plugins.fluxkontext.core.provider.PollOutcome;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderEndpoint;
import io.jenkins.plugins.fluxkontext.core.provider.TaskSpec;
import io.jenkins.plugins.fluxkontext.core.task.TaskHandle;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The Vtrix wire contract as doc.vtrix.ai and Vtrix's command line show it, without a network. */
class VtrixDialectTest {

    private final VtrixDialect vtrix = new VtrixDialect();
    private final ProviderEndpoint endpoint = ProviderEndpoint.defaultFor(vtrix);
    private final TaskHandle handle =
            DialectContract.handle("vtrix", "vt-1", "https://gateway.vtrix.ai/model/v1/generation/task/vt-1");

    @Test
    void theSubmitWrapsBflParametersInInputParams() throws Exception {
        var submit = vtrix.submitRequest(
                new TaskSpec(1, 1, 1, 5L),
                GenerationRequest.builder()
                        .prompt("p")
                        .model("flux-kontext-pro")
                        .outputFormat(OutputFormat.JPEG)
                        .build(),
                endpoint,
                KEY);

        assertThat(submit.url().toString()).isEqualTo("https://gateway.vtrix.ai/model/v1/generation");
        assertThat(submit.header("Authorization")).isEqualTo("Bearer " + KEY.reveal());
        var body = DialectContract.json(submit);
        assertThat(body.get("model").asText()).isEqualTo("flux_kontext_pro");
        assertThat(body.at("/input/0/params/output_format").asText()).isEqualTo("jpeg");
        assertThat(body.at("/input/0/params/seed").asLong()).isEqualTo(5);
        assertThat(body.has("moderation")).isFalse();
    }

    @Test
    void theSubmitAnswerGivesTheTaskUrlAndAnyCost() throws Exception {
        var accepted = vtrix.readSubmitted(
                new TaskSpec(1, 1, 1, null),
                reply(200, "{\"id\":\"vt-1\",\"status\":" + "\"pending\",\"usage\":{\"cost\":\"0.08\"}}"),
                endpoint,
                Instant.EPOCH);
        assertThat(accepted.handle().pollingUrl()).isEqualTo("https://gateway.vtrix.ai/model/v1/generation/task/vt-1");
        assertThat(accepted.cost().usd()).isEqualByComparingTo(new BigDecimal("0.08"));
    }

    @Test
    void everyStatus() throws Exception {
        for (String status : new String[] {"pending", "processing", "in_progress"}) {
            assertThat(vtrix.readPoll(handle, reply(200, "{\"status\":\"" + status + "\",\"progress\":0.25}")))
                    .isEqualTo(new PollOutcome.Running(status, 25));
        }
        var ready = (PollOutcome.Ready) vtrix.readPoll(
                handle,
                reply(
                        200,
                        "{\"status\":\"completed\",\"output\":"
                                + "[{\"content\":[{\"type\":\"image\",\"url\":\"https://cdn.vtrix.ai/a.png\"}]}],\"usage\":"
                                + "{\"cost\":\"0.075\",\"discount\":\"0\",\"quantity\":1,\"unit_price\":\"0.075\"}}"));
        assertThat(ready.imageUrls()).containsExactly("https://cdn.vtrix.ai/a.png");
        assertThat(ready.cost().usd()).isEqualByComparingTo(new BigDecimal("0.075"));
        var failedObject = (PollOutcome.Failed) vtrix.readPoll(
                handle,
                reply(
                        200,
                        "{\"status\":\"failed\",\"error\":"
                                + "{\"code\":\"002014001\",\"message\":\"generation failed\"}}"));
        assertThat(failedObject.code()).isEqualTo("002014001");
        var failedText = (PollOutcome.Failed)
                vtrix.readPoll(handle, reply(200, "{\"status\":\"failed\",\"error\":" + "\"generation failed\"}"));
        assertThat(failedText.reason()).isEqualTo("generation failed");
        assertThat(vtrix.readPoll(handle, reply(200, "{\"status\":\"queued_somewhere\"}")))
                .isInstanceOf(PollOutcome.Failed.class);
        assertThat(vtrix.readPoll(handle, reply(404, "{}"))).isInstanceOf(PollOutcome.NotFound.class);
        assertThat(vtrix.cancelRequest(handle, endpoint, KEY)).isNull();
    }
}
