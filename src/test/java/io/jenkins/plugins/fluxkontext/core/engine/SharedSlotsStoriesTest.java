package io.jenkins.plugins.fluxkontext.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.fluxkontext.core.harness.ScriptedBfl;
import io.jenkins.plugins.fluxkontext.core.output.OutputPlan;
import io.jenkins.plugins.fluxkontext.core.provider.ApiKey;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;
import io.jenkins.plugins.fluxkontext.core.throttle.SlotLease;
import io.jenkins.plugins.fluxkontext.core.throttle.TaskSlots;
import io.jenkins.plugins.fluxkontext.core.throttle.TaskThrottle;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Runs that share one provider account share its limit through {@link GenerationEngine.Builder#taskSlots}: what the
 * plugin does for builds on one controller, so that together they never meet BFL's 429.
 */
class SharedSlotsStoriesTest extends EngineStory {

    @Test
    void twoRunsSharingALimitOfTwoNeverHaveMoreThanTwoTasksRunningAtTheProvider() throws Exception {
        TaskThrottle throttle = new TaskThrottle(provider -> 2);
        engine.close();
        engine = engine(GenerationEngine.builder().taskSlots(throttle.slotsFor("bfl", ApiKey.of(KEY))));
        // A task finishes only while two run (or once all four exist), so the shared limit is really reached.
        bfl.onPoll((id, n) -> bfl.running() >= 2 || bfl.created() == 4 ? bfl.ready(id) : ScriptedBfl.pending(0.5));

        ExecutorService builds = Executors.newFixedThreadPool(2);
        try {
            Future<GenerationResult> first = builds.submit(
                    () -> run(job(prompt().count(2).seed(1L).build(), OutputPlan.into(out.resolve("first")))));
            Future<GenerationResult> second = builds.submit(
                    () -> run(job(prompt().count(2).seed(5L).build(), OutputPlan.into(out.resolve("second")))));

            assertThat(first.get().allSucceeded())
                    .as(first.get().failures().toString())
                    .isTrue();
            assertThat(second.get().allSucceeded())
                    .as(second.get().failures().toString())
                    .isTrue();
        } finally {
            builds.shutdownNow();
        }
        assertThat(bfl.maxRunning()).isEqualTo(2);
        assertThat(bfl.submits()).as("no submit refused, none repeated").isEqualTo(4);
        assertThat(events(ProgressEvent.WaitingForSlot.class))
                .isNotEmpty()
                .allSatisfy(w -> assertThat(w.limit()).isEqualTo(2));
        assertThat(throttle.usage("bfl", ApiKey.of(KEY)).inUse())
                .as("every slot given back")
                .isZero();
    }

    @Test
    void theSharedSlotIsGivenBackWhenTheTaskEndsBeforeItsImageIsDownloaded() throws Exception {
        List<Long> downloadsWhenReleased = new CopyOnWriteArrayList<>();
        TaskSlots recording = whileWaiting -> new SlotLease() {
            @Override
            public int granted() {
                return 1;
            }

            @Override
            public void close() {
                downloadsWhenReleased.add(bfl.downloads());
            }
        };
        engine.close();
        engine = engine(GenerationEngine.builder().taskSlots(recording));

        assertThat(runOne()).isInstanceOf(TaskOutcome.Succeeded.class);

        assertThat(downloadsWhenReleased)
                .as("downloads sent when the slot came back")
                .first()
                .isEqualTo(0L);
        assertThat(bfl.downloads()).isEqualTo(1);
    }

    @Test
    void aRejectedSubmitGivesItsSharedSlotBack() throws Exception {
        TaskThrottle throttle = new TaskThrottle(provider -> 1);
        engine.close();
        engine = engine(GenerationEngine.builder().taskSlots(throttle.slotsFor("bfl", ApiKey.of(KEY))));
        bfl.onSubmit(
                ScriptedBfl.json(422, "{\"detail\":[{\"loc\":[\"body\",\"prompt\"],\"msg\":\"bad\",\"type\":\"x\"}]}"));

        GenerationResult rejected = run(job(prompt().build(), OutputPlan.into(out.resolve("first"))));
        GenerationResult next = run(job(prompt().build(), OutputPlan.into(out.resolve("second"))));

        assertThat(rejected.outcomes()).singleElement().isInstanceOf(TaskOutcome.Rejected.class);
        assertThat(next.outcomes())
                .as("the next run gets the only slot")
                .singleElement()
                .isInstanceOf(TaskOutcome.Succeeded.class);
        assertThat(throttle.usage("bfl", ApiKey.of(KEY)).inUse()).isZero();
    }
}
