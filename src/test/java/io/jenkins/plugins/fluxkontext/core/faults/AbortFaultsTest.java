package io.jenkins.plugins.fluxkontext.core.faults;

import static io.jenkins.plugins.fluxkontext.core.harness.ScriptedBfl.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.fluxkontext.core.engine.GenerationAbortedException;
import io.jenkins.plugins.fluxkontext.core.engine.GenerationEngine;
import io.jenkins.plugins.fluxkontext.core.harness.BackgroundBuild;
import io.jenkins.plugins.fluxkontext.core.output.OutputPlan;
import io.jenkins.plugins.fluxkontext.core.task.Billing;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Row C-03: an interrupt that arrives while the engine waits to retry ends the wait and the run at once. */
class AbortFaultsTest extends FaultStage {

    @Test
    void c03_anAbortDuringTheBackoffBeforeARetryStopsAtOnceAndNamesTheTask() throws Exception {
        CountDownLatch backingOff = new CountDownLatch(1);
        AtomicInteger waits = new AtomicInteger();
        engine.close();
        // The first wait is the schedule's pause before the first poll; the second is the backoff after the 503.
        // That one really blocks, as Sleeper.SYSTEM does, until the interrupt ends it.
        engine = GenerationEngine.builder()
                .clock(time)
                .random(quarterJitter())
                .sleeper(d -> {
                    if (waits.incrementAndGet() < 2) {
                        time.sleep(d);
                        return;
                    }
                    backingOff.countDown();
                    Thread.sleep(Duration.ofMinutes(5));
                })
                .build();
        bfl.onPoll((id, n) -> json(503, "{\"detail\":\"busy\"}"));
        BackgroundBuild build = BackgroundBuild.start(() -> run(job(prompt().build(), OutputPlan.into(out))));
        assertThat(backingOff.await(10, TimeUnit.SECONDS))
                .as("the engine began to back off")
                .isTrue();

        // Ended instead of retrying: interruptAndJoin asserts that the run returned, aborted.
        GenerationAbortedException aborted = build.interruptAndJoin();
        log.add(aborted.getMessage());
        assertThat(aborted.result().outcomes())
                .singleElement()
                .isInstanceOfSatisfying(TaskOutcome.Cancelled.class, c -> {
                    assertThat(c.taskId()).isEqualTo("task-1");
                    assertThat(c.billing()).isEqualTo(Billing.MAYBE_BILLED);
                });
        assertThat(aborted.getMessage()).contains("task-1");
        assertThat(bfl.polls()).as("no status request after the abort").isEqualTo(1);
        assertThat(filesInOutput()).isEmpty();
    }
}
