package io.jenkins.plugins.fluxkontext.core.engine;

import io.jenkins.plugins.fluxkontext.core.provider.TaskSpec;
import io.jenkins.plugins.fluxkontext.core.task.Billing;
import io.jenkins.plugins.fluxkontext.core.task.TaskHandle;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The end of an aborted run, once its own calls are cancelled and its workers stopped: the provider is asked, once
 * and briefly, to cancel what still runs there ({@link RemoteCancels}), and every task without an outcome gets one
 * that says what may still be billed.
 */
final class AbortedTasks {

    private AbortedTasks() {}

    /**
     * Settles every task of {@code specs} that has no entry in {@code outcomes} yet, and tells the listener.
     *
     * @param states   what each task's worker had got to
     * @param outcomes the outcomes so far, by task index; completed here
     */
    static void settle(
            RunContext run, List<TaskSpec> specs, Map<Integer, TaskState> states, Map<Integer, TaskOutcome> outcomes) {
        // Providers without a cancel call (BFL) are only reported; fal and Replicate get their cancel.
        RemoteCancels cancels = RemoteCancels.send(
                stillRunningAtProvider(specs, states, outcomes),
                run.engine().clients().api(),
                run.engine().cancelTimeout(),
                run.endpoint(),
                run.key(),
                run.scrubber());
        Map<Integer, RemoteCancels.Answer> answers = cancels.await();
        for (TaskSpec spec : specs) {
            TaskState state = states.get(spec.index());
            TaskOutcome outcome;
            if (state.handle != null) {
                outcome = abandoned(spec.index(), state, answers.get(spec.index()));
            } else if (state.submitInFlight) {
                outcome = new TaskOutcome.SubmitAmbiguous(
                        spec.index(), null, "the build was aborted while the submit was on its way");
            } else {
                outcome = new TaskOutcome.NotSubmitted(spec.index(), "the build was aborted first");
            }
            if (outcomes.putIfAbsent(spec.index(), outcome) == null) {
                run.emit(new ProgressEvent.Finished(spec.index(), outcome));
            }
        }
    }

    /** The tasks without an outcome that the provider accepted and has not finished. */
    private static Map<Integer, TaskHandle> stillRunningAtProvider(
            List<TaskSpec> specs, Map<Integer, TaskState> states, Map<Integer, TaskOutcome> outcomes) {
        Map<Integer, TaskHandle> running = new LinkedHashMap<>();
        for (TaskSpec spec : specs) {
            TaskState state = states.get(spec.index());
            if (state.handle != null && !state.endedAtProvider && !outcomes.containsKey(spec.index())) {
                running.put(spec.index(), state.handle);
            }
        }
        return running;
    }

    private static TaskOutcome abandoned(int index, TaskState state, RemoteCancels.Answer cancel) {
        if (state.endedAtProvider) {
            return new TaskOutcome.Cancelled(
                    index,
                    state.handle,
                    false,
                    Billing.BILLED,
                    "finished at the provider and"
                            + " was billed, but the abort stopped it before its images were saved; no file was written.");
        }
        if (cancel != null && cancel.confirmed()) {
            return new TaskOutcome.Cancelled(
                    index,
                    state.handle,
                    true,
                    Billing.MAYBE_BILLED,
                    "was cancelled at the" + " provider on abort (" + cancel.detail()
                            + "); the time it ran before may still be billed.");
        }
        String why = cancel == null ? "no cancel was sent" : cancel.detail();
        return new TaskOutcome.Cancelled(
                index,
                state.handle,
                false,
                Billing.MAYBE_BILLED,
                "was abandoned here; " + why + ", so it may still run and be billed.");
    }
}
