package io.jenkins.plugins.fluxkontext.core.budget;

import io.jenkins.plugins.fluxkontext.core.engine.GenerationResult;
import io.jenkins.plugins.fluxkontext.core.task.Cost;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Checks requests against spending limits and keeps the tally, for every build on one controller.
 *
 * <p>Checking and recording happen in one step ({@link #reserve}): a request's estimate counts as spent from the
 * moment it is allowed, so two parallel branches of a build cannot both pass a limit that only one of them fits
 * under. When the request ends its reservation is settled with what it actually cost: costs the provider reported
 * replace the estimate, unbilled tasks count nothing (see {@link CostEstimate#charge}).
 *
 * <pre>{@code
 * try (SpendingLedger.Reservation r = ledger.reserve(scope, table.estimate(provider, request), limits)) {
 *     GenerationResult result = engine.run(job, listener);
 *     CostEstimate.Charge charged = r.settle(result);
 * }
 * }</pre>
 *
 * Thread-safe.
 */
public final class SpendingLedger {

    private final SpentAmounts settled;
    private final List<Reservation> open = new ArrayList<>();

    public SpendingLedger(SpentAmounts settled) {
        this.settled = Objects.requireNonNull(settled, "settled");
    }

    /**
     * Allows the request and counts its estimate as spent until settled, or refuses it.
     *
     * @throws SpendingRefusedException when the request would pass a limit, or cannot be checked because its price
     *                                  is unknown; the message has the numbers, and nothing is recorded
     */
    public synchronized Reservation reserve(SpendingScope scope, CostEstimate estimate, SpendingLimits limits) {
        LimitDecision decision = limits.check(estimate, spent(scope));
        if (decision instanceof LimitDecision.Refused refused) {
            throw new SpendingRefusedException(refused);
        }
        Reservation reservation = new Reservation(scope, estimate);
        open.add(reservation);
        return reservation;
    }

    /** What the build and its job have spent: settled requests plus running ones at their estimate. */
    public synchronized Spent spent(SpendingScope scope) {
        BigDecimal build = settled.byBuild(scope);
        BigDecimal job = settled.byJob(scope.job());
        for (Reservation r : open) {
            if (r.scope.job().equals(scope.job())) {
                job = job.add(r.held);
                if (r.scope.equals(scope)) {
                    build = build.add(r.held);
                }
            }
        }
        return new Spent(build, job);
    }

    private synchronized CostEstimate.Charge finish(Reservation r, CostEstimate.Charge charge) {
        if (!open.remove(r)) {
            throw new IllegalStateException("This reservation was already settled or released");
        }
        // A charge only ever adds: a figure below zero (from a provider that reported one) must not lower what a
        // build or a job has spent, or the limits would let through what they are there to stop.
        if (charge != null && charge.cost().usd().signum() > 0) {
            settled.add(r.scope, charge.cost().usd());
        }
        return charge;
    }

    private synchronized void chargeInFullIfOpen(Reservation r) {
        if (open.contains(r)) {
            finish(r, r.estimate.chargeInFull());
        }
    }

    /** One allowed request's claim on the limits, until it is settled or released. */
    public final class Reservation implements AutoCloseable {

        private final SpendingScope scope;
        private final CostEstimate estimate;
        /** Counted against the limits while the request runs; zero when the price is unknown. */
        private final BigDecimal held;

        private Reservation(SpendingScope scope, CostEstimate estimate) {
            this.scope = scope;
            this.estimate = estimate;
            this.held = estimate.cost().map(c -> c.usd()).orElse(BigDecimal.ZERO);
        }

        public CostEstimate estimate() {
            return estimate;
        }

        /** Records what the request cost: reported costs where known, the price table otherwise. */
        public CostEstimate.Charge settle(GenerationResult result) {
            return finish(this, estimate.charge(result));
        }

        /**
         * Records an amount priced elsewhere with {@link CostEstimate#charge}: where the result stays on another
         * machine (a Jenkins agent) and only the figure comes back.
         */
        public void settle(BigDecimal chargedUsd) {
            finish(this, new CostEstimate.Charge(Cost.estimated(chargedUsd), 0));
        }

        /** Drops the reservation without charging: nothing was submitted (it failed validation, say). */
        public void release() {
            finish(this, null);
        }

        /**
         * If neither settled nor released, charges the whole estimate: the request ended without a result (an
         * abort, an error), so some tasks may have been billed and we cannot tell which.
         */
        @Override
        public void close() {
            chargeInFullIfOpen(this);
        }
    }
}
