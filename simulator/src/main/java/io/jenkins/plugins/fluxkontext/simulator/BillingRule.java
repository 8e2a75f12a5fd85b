package io.jenkins.plugins.fluxkontext.simulator;

import java.util.EnumSet;
import java.util.Set;

/**
 * Which endings a provider charges for, with where that comes from. Kept here, one constant per provider, so the
 * ledger's rule for each is in one place (docs/simulator.md, "Billing"). Where providers.md says nothing the choice
 * is marked UNCONFIRMED: a gateway is assumed to charge for what produced an image.
 *
 * @param billed the endings that are charged
 * @param source why, for the docs and for a reader of the ledger
 */
record BillingRule(Set<TaskState> billed, String source) {

    /** BFL bills tasks it processed, Ready or Error; moderated tasks are not charged (help.bfl.ai, providers.md 1.5). */
    static final BillingRule BFL = new BillingRule(
            EnumSet.of(TaskState.READY, TaskState.FAILED),
            "providers.md 1.5: moderated tasks are not charged; processed tasks are");

    /**
     * ToAPIs sends its {@code generation.failed} webhook "only after internal retries/refund" (providers.md 2.5): a
     * failed task is refunded. Completed tasks are charged. A request refused with 422 creates no task.
     */
    static final BillingRule TOAPIS =
            new BillingRule(EnumSet.of(TaskState.READY), "providers.md 2.5: failed tasks are refunded");

    /** UNCONFIRMED (providers.md 4): Vtrix reports {@code usage.cost}; a failed task is assumed not charged. */
    static final BillingRule VTRIX = new BillingRule(EnumSet.of(TaskState.READY), "UNCONFIRMED: completed tasks only");

    /** UNCONFIRMED (providers.md 3.3): CometAPI relays BFL, so BFL's rule is assumed (Ready and Error). */
    static final BillingRule COMETAPI = new BillingRule(
            EnumSet.of(TaskState.READY, TaskState.FAILED), "UNCONFIRMED: as BFL, whose statuses it relays");

    /**
     * UNCONFIRMED (providers.md 5): fal charges completed requests by their output. A request whose images are
     * flagged in {@code has_nsfw_concepts} still completed with output, so it is charged; a model error or a
     * cancelled request is not.
     */
    static final BillingRule FAL = new BillingRule(
            EnumSet.of(TaskState.READY, TaskState.CONTENT_MODERATED),
            "UNCONFIRMED: completed requests with output, flagged ones included");

    /** UNCONFIRMED (providers.md 6): as fal, whose model it runs. */
    static final BillingRule RUNFLOW =
            new BillingRule(EnumSet.of(TaskState.READY, TaskState.CONTENT_MODERATED), "UNCONFIRMED: as fal");

    /**
     * UNCONFIRMED (providers.md 7): official models such as flux-kontext-max are priced per output image, so a
     * prediction is charged when it succeeds; failed (moderated included) and canceled ones have no output.
     */
    static final BillingRule REPLICATE = new BillingRule(
            EnumSet.of(TaskState.READY), "UNCONFIRMED: succeeded predictions only (priced per output image)");

    BillingRule {
        billed = Set.copyOf(billed);
    }

    boolean bills(TaskState ending) {
        return billed.contains(ending);
    }
}
