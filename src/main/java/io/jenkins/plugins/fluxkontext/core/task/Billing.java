package io.jenkins.plugins.fluxkontext.core.task;

/** Whether the provider charged for a task, as far as we can tell. Shown with every failure. */
public enum Billing {
    /** Nothing was created, or the provider does not charge for this ending (BFL: moderated tasks). */
    NOT_BILLED,
    /** The task ran; the provider charged for it. */
    BILLED,
    /** We cannot tell: the submit may have reached the provider and created a task. */
    MAYBE_BILLED
}
