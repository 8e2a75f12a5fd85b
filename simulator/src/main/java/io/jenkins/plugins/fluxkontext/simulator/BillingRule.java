package io.jenkins.plugins.fluxkontext.simulator;

import java.util.EnumSet;
import java.util.Set;

/**
 * Which endings a provider charges for. Kept here, one constant per provider with where its rule comes from, so the
 * ledger's rule for each is in one place (docs/simulator.md, "Billing"). Where the provider's documentation says
 * nothing the choice is marked UNCONFIRMED: a gateway is assumed to charge for what produced an image.
 *
 * @param billed the endings that are charged
 */
record BillingRule(Set<TaskState> billed) {

    /**
     * BFL bills tasks it processed, Ready or Error; moderated tasks are not charged (help.bfl.ai, "Why did my request
     * fail?").
     */
    static final BillingRule BFL = new BillingRule(EnumSet.of(TaskState.READY, TaskState.FAILED));

    /**
     * ToAPIs sends its {@code generation.failed} webhook "only after internal retries/refund" (docs.toapis.com, task
     * webhooks): a failed task is refunded. Completed tasks are charged. A request refused with 422 creates no task.
     */
    static final BillingRule TOAPIS = new BillingRule(EnumSet.of(TaskState.READY));

    /** UNCONFIRMED: Vtrix reports {@code usage.cost}; a failed task is assumed not charged. */
    static final BillingRule VTRIX = new BillingRule(EnumSet.of(TaskState.READY));

    /** UNCONFIRMED: CometAPI relays BFL, so BFL's rule is assumed (Ready and Error). */
    static final BillingRule COMETAPI = new BillingRule(EnumSet.of(TaskState.READY, TaskState.FAILED));

    /**
     * UNCONFIRMED: fal charges completed requests by their output. A request whose images are flagged in
     * {@code has_nsfw_concepts} still completed with output, so it is charged; a model error or a cancelled request is
     * not.
     */
    static final BillingRule FAL = new BillingRule(EnumSet.of(TaskState.READY, TaskState.CONTENT_MODERATED));

    /** UNCONFIRMED: as fal, whose model it runs. */
    static final BillingRule RUNFLOW = new BillingRule(EnumSet.of(TaskState.READY, TaskState.CONTENT_MODERATED));

    /**
     * UNCONFIRMED: official models such as flux-kontext-max are priced per output image, so a prediction is charged
     * when it succeeds; failed (moderated included) and canceled ones have no output.
     */
    static final BillingRule REPLICATE = new BillingRule(EnumSet.of(TaskState.READY));

    BillingRule {
        billed = Set.copyOf(billed);
    }

    boolean bills(TaskState ending) {
        return billed.contains(ending);
    }
}
