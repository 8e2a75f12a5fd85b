package io.jenkins.plugins.fluxkontext.core.provider;

import io.jenkins.plugins.fluxkontext.core.task.Cost;
import io.jenkins.plugins.fluxkontext.core.task.TaskHandle;

/**
 * The provider created the task: how to find it again, what it says it will charge (null when it does not say), and,
 * when the submit answer already tells how the task ended (Replicate holds the answer with {@code Prefer: wait}), that
 * ending; {@code null} means "poll it".
 */
public record SubmitAccepted(TaskHandle handle, Cost cost, PollOutcome settled) {

    public SubmitAccepted {
        // Only an ending settles a task; a task still running (or a result still to fetch) is polled as usual.
        if (settled instanceof PollOutcome.Running || settled instanceof PollOutcome.ResultAvailable) {
            settled = null;
        }
    }

    public SubmitAccepted(TaskHandle handle, Cost cost) {
        this(handle, cost, null);
    }
}
