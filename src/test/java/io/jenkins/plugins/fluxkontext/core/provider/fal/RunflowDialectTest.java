package io.jenkins.plugins.fluxkontext.core.provider.fal;

import static io.jenkins.plugins.fluxkontext.core.provider.DialectContract.KEY;
import static io.jenkins.plugins.fluxkontext.core.provider.DialectContract.reply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
import io.jenkins.plugins.fluxkontext.core.provider.DialectContract;
import io.jenkins.plugins.fluxkontext.core.provider.MalformedReplyException;
import io.jenkins.plugins.fluxkontext.core.provider.PollOutcome;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderEndpoint;
import io.jenkins.plugins.fluxkontext.core.provider.TaskSpec;
import io.jenkins.plugins.fluxkontext.core.task.TaskHandle;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Runflow's runs contract (docs.runflow.io, concepts/runs), without a network. */
class RunflowDialectTest {

    private final RunflowDialect runflow = new RunflowDialect();
    private final ProviderEndpoint endpoint = ProviderEndpoint.defaultFor(runflow);
    private final TaskHandle handle =
            DialectContract.handle("runflow", "run_1", "https://api.runflow.io/v1/runs/run_1");

    @Test
    void createsARunWithTheInputWrappedAndPollsIt() throws Exception {
        var submit = runflow.submitRequest(
                new TaskSpec(1, 1, 2, null),
                GenerationRequest.builder().prompt("p").count(2).build(),
                endpoint,
                KEY);
        assertThat(submit.url().toString())
                .isEqualTo(
                        "https://api.runflow.io/v1/models/black-forest-labs/flux-pro/kontext/max/text-to-image/runs");
        assertThat(submit.header("Authorization")).isEqualTo("Bearer " + KEY.reveal());
        assertThat(DialectContract.json(submit).at("/input/num_images").asInt()).isEqualTo(2);
        var accepted = runflow.readSubmitted(
                new TaskSpec(1, 1, 2, null),
                reply(200, "{\"id\":\"run_1\"," + "\"status_code\":\"queued\"}"),
                endpoint,
                Instant.EPOCH);
        assertThat(accepted.handle().pollingUrl()).isEqualTo("https://api.runflow.io/v1/runs/run_1");
    }

    /**
     * A succeeded run's {@code output} is Runflow's normalized one (docs.runflow.io, concepts/runs): the images are
     * {@code outputs[].url}, the seed {@code seed}, moderation {@code nsfw_detected}.
     */
    @Test
    void aSucceededRunIsReadFromRunflowsNormalizedOutput() throws Exception {
        PollOutcome ready = runflow.readPoll(
                handle,
                reply(
                        200,
                        "{\"status_code\":\"succeeded\",\"output\":{\"outputs\":[{\"url\":\"https://cdn.runflow.io/a.png\","
                                + "\"content_type\":\"image/png\"},{\"url\":\"https://cdn.runflow.io/b.png\"}],\"seed\":42,"
                                + "\"timing\":{\"inference_ms\":6100},\"nsfw_detected\":false}}"));
        assertThat(ready).isInstanceOfSatisfying(PollOutcome.Ready.class, r -> {
            assertThat(r.imageUrls()).containsExactly("https://cdn.runflow.io/a.png", "https://cdn.runflow.io/b.png");
            assertThat(r.seed()).isEqualTo(42L);
        });

        PollOutcome flagged = runflow.readPoll(
                handle,
                reply(
                        200,
                        "{\"status_code\":\"succeeded\",\"output\":{\"outputs\":[{\"url\":\"https://cdn.runflow.io/a.png\"}],"
                                + "\"seed\":42,\"nsfw_detected\":true}}"));
        assertThat(flagged).isInstanceOf(PollOutcome.Moderated.class);

        // fal's own output document is not Runflow's: no fallback to images[].url.
        assertThatThrownBy(() -> runflow.readPoll(
                        handle,
                        reply(
                                200,
                                "{\"status_code\":\"succeeded\",\"output\":{\"images\":"
                                        + "[{\"url\":\"https://cdn.runflow.io/a.png\"}]}}")))
                .isInstanceOf(MalformedReplyException.class)
                .hasMessageContaining("outputs[].url");
    }

    @Test
    void everyStatus() throws Exception {
        for (String status : new String[] {"queued", "dispatching", "running"}) {
            assertThat(runflow.readPoll(handle, reply(200, "{\"status_code\":\"" + status + "\"}")))
                    .isInstanceOf(PollOutcome.Running.class);
        }
        assertThat(((PollOutcome.Failed) runflow.readPoll(
                                handle, reply(200, "{\"status_code\":\"failed\"," + "\"failure_message\":\"boom\"}")))
                        .reason())
                .isEqualTo("boom");
        assertThat(((PollOutcome.Failed) runflow.readPoll(
                                handle,
                                reply(
                                        200,
                                        "{\"status_code\":\"failed\",\"error\":{\"code\":\"upstream_error\","
                                                + "\"message\":\"boom\"}}")))
                        .reason())
                .as("the official SDK's error object")
                .isEqualTo("upstream_error: boom");
        assertThat(runflow.readPoll(handle, reply(200, "{\"status_code\":\"canceled\"}")))
                .as("Runflow's spelling")
                .isInstanceOf(PollOutcome.Cancelled.class);
        assertThat(runflow.readPoll(handle, reply(200, "{\"status_code\":\"partial_succeeded\"}")))
                .isInstanceOf(PollOutcome.Failed.class);
        assertThat(runflow.readPoll(handle, reply(404, "{\"code\":\"not_found\",\"message\":\"no run\"}")))
                .isInstanceOf(PollOutcome.NotFound.class);
        assertThat(runflow.cancelRequest(handle, endpoint, KEY))
                .as("no documented cancel")
                .isNull();
    }
}
