package io.jenkins.plugins.fluxkontext.core.provider.cometapi;

import static io.jenkins.plugins.fluxkontext.core.provider.DialectContract.KEY;
import static io.jenkins.plugins.fluxkontext.core.provider.DialectContract.reply;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
import io.jenkins.plugins.fluxkontext.core.provider.DialectContract;
import io.jenkins.plugins.fluxkontext.core.provider.PollOutcome;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderEndpoint;
import io.jenkins.plugins.fluxkontext.core.provider.TaskSpec;
import io.jenkins.plugins.fluxkontext.core.task.Billing;
import io.jenkins.plugins.fluxkontext.core.task.TaskHandle;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome.ModerationSide;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** CometAPI's BFL-compatible route (apidoc.cometapi.com, FLUX generate and query), without a network. */
class CometApiDialectTest {

    private final CometApiDialect comet = new CometApiDialect();
    private final ProviderEndpoint endpoint = ProviderEndpoint.defaultFor(comet);
    private final TaskHandle handle =
            DialectContract.handle("cometapi", "c-1", "https://api.cometapi.com/flux/v1/get_result?id=c-1");

    @Test
    void submitsBflsBodyToFluxV1WithBearerAuthOnly() throws Exception {
        var submit = comet.submitRequest(
                new TaskSpec(1, 1, 1, 7L),
                GenerationRequest.builder().prompt("p").aspectRatio("16:9").build(),
                endpoint,
                KEY);
        assertThat(submit.url().toString()).isEqualTo("https://api.cometapi.com/flux/v1/flux-kontext-max");
        assertThat(submit.header("Authorization")).isEqualTo("Bearer " + KEY.reveal());
        assertThat(submit.header("x-key")).isNull();
        var body = DialectContract.json(submit);
        assertThat(body.get("aspect_ratio").asText()).isEqualTo("16:9");
        assertThat(body.get("seed").asLong()).isEqualTo(7);
    }

    @Test
    void pollsItsOwnGetResultWhateverPollingUrlItReturns() throws Exception {
        var accepted = comet.readSubmitted(
                new TaskSpec(1, 1, 1, null),
                reply(200, "{\"id\":\"c 1\",\"polling_url\":" + "\"https://api.bfl.ai/v1/get_result?id=c\"}"),
                endpoint,
                Instant.EPOCH);
        assertThat(accepted.handle().pollingUrl()).isEqualTo("https://api.cometapi.com/flux/v1/get_result?id=c%201");
    }

    @Test
    void readsBflStatusesWithModerationMaybeBilled() throws Exception {
        assertThat(comet.readPoll(handle, reply(200, "{\"status\":\"Pending\"}")))
                .isInstanceOf(PollOutcome.Running.class);
        assertThat(((PollOutcome.Ready) comet.readPoll(
                                handle,
                                reply(
                                        200,
                                        "{\"id\":\"c-1\",\"status\":\"Ready\","
                                                + "\"result\":{\"seed\":1,\"prompt\":\"p\",\"sample\":\"https://delivery.eu2.bfl.ai/x.png\","
                                                + "\"duration\":5,\"start_time\":1,\"end_time\":6}}")))
                        .imageUrls())
                .containsExactly("https://delivery.eu2.bfl.ai/x.png");
        var content = (PollOutcome.Moderated) comet.readPoll(handle, reply(200, "{\"status\":\"Content Moderated\"}"));
        assertThat(content.side()).isEqualTo(ModerationSide.OUTPUT);
        assertThat(content.billing()).isEqualTo(Billing.MAYBE_BILLED);
        assertThat(comet.readPoll(handle, reply(200, "{\"status\":\"Error\"}"))).isInstanceOf(PollOutcome.Failed.class);
        assertThat(comet.readPoll(handle, reply(200, "{\"status\":\"Task not found\"}")))
                .isInstanceOf(PollOutcome.NotFound.class);
        assertThat(comet.readPoll(handle, reply(200, "{\"status\":\"Generating\"}")))
                .isInstanceOf(PollOutcome.Failed.class);
    }
}
