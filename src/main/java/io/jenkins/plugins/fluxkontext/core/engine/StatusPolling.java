package io.jenkins.plugins.fluxkontext.core.engine;

import io.jenkins.plugins.fluxkontext.core.engine.InFlightCalls.DeadlinePassed;
import io.jenkins.plugins.fluxkontext.core.engine.RetriedReads.ReadsExhausted;
import io.jenkins.plugins.fluxkontext.core.provider.PollOutcome;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderDialect;
import io.jenkins.plugins.fluxkontext.core.provider.TaskSpec;
import io.jenkins.plugins.fluxkontext.core.task.TaskHandle;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * The poll loop: asks for a task's status on the engine's {@link PollSchedule} until the provider reports an end,
 * fetching the separate result document where the provider keeps one, and tells the listener of each new status and
 * progress figure.
 */
final class StatusPolling {

    private final RunContext run;
    private final RetriedReads reads;

    StatusPolling(RunContext run, RetriedReads reads) {
        this.run = run;
        this.reads = reads;
    }

    /** Polls the task until it ends; never returns {@link PollOutcome.Running} or {@link PollOutcome.ResultAvailable}. */
    PollOutcome pollToEnd(TaskSpec spec, TaskHandle handle)
            throws DeadlinePassed, ReadsExhausted, InterruptedException {
        GenerationEngine engine = run.engine();
        Deadline deadline = run.deadline();
        ProviderDialect dialect = run.dialect();
        String what = "status of task " + handle.taskId();
        int polls = 0;
        String lastStatus = null;
        Integer lastPercent = null;
        while (true) {
            Duration since =
                    Duration.between(handle.submittedAt(), engine.clock().instant());
            Duration wait = engine.pollSchedule().nextDelay(polls, since, lastPercent);
            Duration remaining = deadline.remaining();
            engine.sleeper().sleep(wait.compareTo(remaining) < 0 ? wait : remaining);
            if (deadline.passed()) {
                throw new DeadlinePassed(true);
            }
            PollOutcome outcome;
            try {
                outcome = reads.read(
                        spec.index(),
                        what,
                        engine.clients().api(),
                        () -> dialect.pollRequest(handle, run.endpoint(), run.key()),
                        r -> dialect.readPoll(handle, run.reply(r)));
                polls++;
                if (outcome instanceof PollOutcome.ResultAvailable) {
                    outcome = reads.read(
                            spec.index(),
                            "result of task " + handle.taskId(),
                            engine.clients().api(),
                            () -> dialect.resultRequest(handle, run.endpoint(), run.key()),
                            r -> dialect.readResult(handle, run.reply(r)),
                            dialect::isResultError);
                }
            } catch (IOException e) {
                // read() lets only download-specific failures through; none can come from a status answer.
                throw new ReadsExhausted(1, run.scrubber().failure(e));
            }
            if (!outcome.status().equals(lastStatus)) {
                lastStatus = outcome.status();
                run.emit(new ProgressEvent.StatusChanged(
                        spec.index(), handle.taskId(), run.scrubber().text(lastStatus)));
            }
            if (outcome instanceof PollOutcome.Running running) {
                if (running.percent() != null && !running.percent().equals(lastPercent)) {
                    run.emit(new ProgressEvent.Progress(spec.index(), handle.taskId(), running.percent()));
                }
                lastPercent = running.percent() != null ? running.percent() : lastPercent;
                continue;
            }
            if (outcome instanceof PollOutcome.ResultAvailable) {
                continue;
            }
            return outcome;
        }
    }

    /**
     * The image URLs of one more status answer, for a download whose signed link was refused; empty when the provider
     * has none (or cannot be asked).
     */
    List<String> freshUrls(TaskSpec spec, TaskHandle handle) throws InterruptedException {
        ProviderDialect dialect = run.dialect();
        try {
            PollOutcome again = reads.read(
                    spec.index(),
                    "status of task " + handle.taskId(),
                    run.engine().clients().api(),
                    () -> dialect.pollRequest(handle, run.endpoint(), run.key()),
                    r -> dialect.readPoll(handle, run.reply(r)));
            return again instanceof PollOutcome.Ready ready ? ready.imageUrls() : List.of();
        } catch (IOException | ReadsExhausted | DeadlinePassed e) {
            return List.of();
        }
    }
}
