package io.jenkins.plugins.fluxkontext.core.budget;

/**
 * A request was refused by a spending limit before anything was submitted. The message has the numbers: what the
 * request would cost, what has been spent of which limit.
 */
public class SpendingRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient LimitDecision.Refused refusal;

    public SpendingRefusedException(LimitDecision.Refused refusal) {
        super(refusal.message());
        this.refusal = refusal;
    }

    public LimitDecision.Refused refusal() {
        return refusal;
    }
}
