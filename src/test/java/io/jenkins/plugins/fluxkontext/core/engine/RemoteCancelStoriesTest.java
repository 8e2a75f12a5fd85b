package io.jenkins.plugins.fluxkontext.core.engine;

import static io.jenkins.plugins.fluxkontext.core.harness.ScriptedBfl.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.fluxkontext.core.harness.BackgroundBuild;
import io.jenkins.plugins.fluxkontext.core.output.OutputPlan;
import io.jenkins.plugins.fluxkontext.core.provider.ApiKey;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderEndpoint;
import io.jenkins.plugins.fluxkontext.core.task.Billing;
import io.jenkins.plugins.fluxkontext.core.task.TaskHandle;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.Test;

/** An abort that cancels at the provider where it can, and names every task that may still be billed. */
class RemoteCancelStoriesTest extends EngineStory {

    // ---- abort and remote cancel --------------------------------------------------------------------------------

    /** Starts a one-task build at a provider with a cancel call, presses abort on its second poll. */
    private GenerationAbortedException abortWhilePollingAProviderThatCancels() throws Exception {
        holdPollsUntilReleased();
        GenerationJob job = new GenerationJob(
                prompt().build(),
                new ProviderEndpoint(new CancellableBfl(), server.url("/").uri()),
                ApiKey.of(KEY),
                OutputPlan.into(out));
        BackgroundBuild build = BackgroundBuild.start(() -> run(job));
        waitUntil(() -> bfl.polls() == 2);

        GenerationAbortedException aborted = build.interruptAndJoin();

        seen.add(aborted.getMessage());
        return aborted;
    }

    @Test
    void anAbortCancelsTheTaskAtAProviderThatCanAndLeavesNoFile() throws Exception {
        List<RecordedRequest> cancels = serveCancels(json(202, "{\"status\":\"CANCELLATION_REQUESTED\"}"));

        GenerationAbortedException aborted = abortWhilePollingAProviderThatCancels();

        assertThat(cancels)
                .as("the cancel reached the provider, with the key, like a poll")
                .singleElement()
                .satisfies(c -> assertThat(c.getUrl().queryParameter("id")).isEqualTo("task-1"))
                .satisfies(c -> assertThat(c.getHeaders().get("x-key")).isEqualTo(KEY));
        assertThat(aborted.result().outcomes())
                .singleElement()
                .isInstanceOfSatisfying(TaskOutcome.Cancelled.class, c -> {
                    assertThat(c.cancelledRemotely()).isTrue();
                    assertThat(c.message()).contains("task-1", "cancelled at the provider");
                });
        assertThat(aborted.mayStillBeBilled()).isEmpty();
        assertThat(bfl.polls()).as("no status request after the abort").isEqualTo(2);
        assertThat(filesInOutput()).isEmpty();
    }

    @Test
    void aCancelTheProviderRefusesIsReportedAsNotCancelled() throws Exception {
        List<RecordedRequest> cancels = serveCancels(json(500, "{\"detail\":\"try later\"}"));

        GenerationAbortedException aborted = abortWhilePollingAProviderThatCancels();

        assertThat(cancels).as("sent once, never retried").hasSize(1);
        assertThat(aborted.result().outcomes())
                .singleElement()
                .isInstanceOfSatisfying(TaskOutcome.Cancelled.class, c -> {
                    assertThat(c.cancelledRemotely()).isFalse();
                    assertThat(c.billing()).isEqualTo(Billing.MAYBE_BILLED);
                    assertThat(c.message()).contains("task-1", "HTTP 500", "may still run and be billed");
                });
        assertThat(aborted.mayStillBeBilled()).extracting(TaskOutcome::taskId).containsExactly("task-1");
    }

    @Test
    void anAbortOnBflNamesEveryTaskThatMayStillBeBilled() throws Exception {
        holdPollsUntilReleased();
        BackgroundBuild build =
                BackgroundBuild.start(() -> run(prompt().count(2).build()));
        waitUntil(() -> bfl.polls() == 4);

        GenerationAbortedException aborted = build.interruptAndJoin();

        seen.add(aborted.getMessage());
        assertThat(aborted.result().outcomes())
                .hasSize(2)
                .allSatisfy(o -> assertThat(o).isInstanceOfSatisfying(TaskOutcome.Cancelled.class, c -> {
                    assertThat(c.cancelledRemotely()).isFalse();
                    assertThat(c.billing()).isEqualTo(Billing.MAYBE_BILLED);
                    assertThat(c.message()).contains("no cancel call", "may still run and be billed");
                }));
        assertThat(aborted.mayStillBeBilled())
                .extracting(TaskOutcome::taskId)
                .containsExactlyInAnyOrder("task-1", "task-2");
        assertThat(aborted.getMessage())
                .contains("2 submitted task(s) may still run and be billed", "task-1", "task-2");
        assertThat(bfl.requests())
                .as("nothing but submits and polls: BFL has no cancel")
                .allMatch(r -> r.getUrl().encodedPath().startsWith("/v1/flux-kontext-")
                        || r.getUrl().encodedPath().equals("/v1/get_result"));
        assertThat(filesInOutput()).isEmpty();
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    /** Puts a cancel endpoint, {@code POST /v1/cancel?id=}, in front of the fake BFL; returns what it received. */
    private List<RecordedRequest> serveCancels(MockResponse answer) {
        List<RecordedRequest> received = new CopyOnWriteArrayList<>();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                if (request.getUrl().encodedPath().equals("/v1/cancel")) {
                    received.add(request);
                    seen.add(request.getRequestLine());
                    return answer;
                }
                return bfl.dispatch(request);
            }
        });
        return received;
    }

    /** BFL's wire plus a cancel call, {@code POST /v1/cancel?id=} with the key, as fal and Replicate have one. */
    private static final class CancellableBfl extends ForwardingBflDialect {

        @Override
        public String displayName() {
            return "Cancellable BFL";
        }

        @Override
        public Request cancelRequest(TaskHandle handle, ProviderEndpoint endpoint, ApiKey key) {
            return new Request.Builder()
                    .url(endpoint.resolve("/v1/cancel")
                            .newBuilder()
                            .addQueryParameter("id", handle.taskId())
                            .build())
                    .header("x-key", key.reveal())
                    .post(RequestBody.create(new byte[0]))
                    .build();
        }
    }
}
