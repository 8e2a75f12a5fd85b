package io.jenkins.plugins.fluxkontext.core.engine;

import io.jenkins.plugins.fluxkontext.core.task.Billing;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown by {@link GenerationEngine#run} and {@link GenerationEngine#resume} when the calling thread is interrupted (a
 * build abort). It is an {@link InterruptedException}, so an abort stays an abort for callers that only know that;
 * callers that must report what may still be billed read {@link #result()}: tasks that finished keep their outcome,
 * submitted ones are {@link TaskOutcome.Cancelled} with their task id ({@code cancelledRemotely} says whether the
 * provider confirmed a cancel), a submit on its way is {@link TaskOutcome.SubmitAmbiguous}, the rest
 * {@link TaskOutcome.NotSubmitted}. {@link GenerationResult#handles()} of the result lists every task that was
 * created, for a later {@link GenerationEngine#resume}.
 */
public class GenerationAbortedException extends InterruptedException {

    private static final long serialVersionUID = 1L;

    private final transient GenerationResult result;

    public GenerationAbortedException(GenerationResult result) {
        super(describe(result));
        this.result = result;
    }

    public GenerationResult result() {
        return result;
    }

    /**
     * The tasks the abort could not stop at the provider: abandoned here because the provider has no cancel call
     * (BFL) or its cancel failed, or whose submit was on its way. They may still run and be billed.
     */
    public List<TaskOutcome> mayStillBeBilled() {
        return stillRunning(result);
    }

    private static List<TaskOutcome> stillRunning(GenerationResult result) {
        return result.outcomes().stream()
                .filter(o -> o instanceof TaskOutcome.Cancelled c
                                && !c.cancelledRemotely()
                                && c.billing() == Billing.MAYBE_BILLED
                        || o instanceof TaskOutcome.SubmitAmbiguous)
                .toList();
    }

    private static String describe(GenerationResult result) {
        List<TaskOutcome> open = stillRunning(result);
        if (open.isEmpty()) {
            return "Aborted; no submitted task is left running at the provider";
        }
        return "Aborted; " + open.size() + " submitted task(s) may still run and be billed: "
                + open.stream()
                        .map(o -> o.taskId() != null
                                ? o.taskId()
                                : "task " + o.index() + " (no id; its submit was on its way)")
                        .collect(Collectors.joining(", "));
    }
}
