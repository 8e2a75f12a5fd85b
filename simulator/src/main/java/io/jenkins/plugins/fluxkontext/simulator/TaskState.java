package io.jenkins.plugins.fluxkontext.simulator;

/** Where a simulated task is in its life, in provider-neutral terms; each dialect names these its own way. */
public enum TaskState {
    PENDING(false, false),
    READY(true, true),
    FAILED(true, true),
    REQUEST_MODERATED(true, false),
    CONTENT_MODERATED(true, false),
    /** Cancelled by the client before it ended (fal, Replicate). */
    CANCELLED(true, false);

    private final boolean ended;
    private final boolean billed;

    TaskState(boolean ended, boolean billed) {
        this.ended = ended;
        this.billed = billed;
    }

    public boolean ended() {
        return ended;
    }

    /**
     * Whether BFL charges for a task that ends here (processed tasks yes, moderated ones no). Other providers bill by
     * their own {@link BillingRule}.
     */
    public boolean billed() {
        return billed;
    }
}
