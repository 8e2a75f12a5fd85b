package io.jenkins.plugins.fluxkontext.core.budget;

import io.jenkins.plugins.fluxkontext.core.engine.GenerationResult;
import io.jenkins.plugins.fluxkontext.core.task.Cost;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Checks requests against spending limits and keeps the tally, for every build on one controller: the limits of the
 * step, the build and the job, and the monthly limits of each folder above the job and of the controller.
 *
 * <p>Checking and recording happen in one step ({@link #reserve}): a request's estimate counts as spent from the
 * moment it is allowed, so two parallel branches of a build cannot both pass a limit that only one of them fits
 * under. When the request ends its reservation is settled with what it actually cost: costs the provider reported
 * replace the estimate, unbilled tasks count nothing (see {@link CostEstimate#charge}). A request counts in the calendar
 * month (UTC) it was allowed in, even when it ends in the next one.
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
    private final Clock clock;
    private final List<Reservation> open = new ArrayList<>();

    public SpendingLedger(SpentAmounts settled) {
        this(settled, Clock.systemUTC());
    }

    /** @param clock tells the month a request counts in */
    public SpendingLedger(SpentAmounts settled, Clock clock) {
        this.settled = Objects.requireNonNull(settled, "settled");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Allows the request and counts its estimate as spent until settled, or refuses it.
     *
     * @throws SpendingRefusedException when the request would pass a limit, or cannot be checked because its price
     *                                  is unknown; the message has the numbers, and nothing is recorded
     */
    public Reservation reserve(SpendingScope scope, CostEstimate estimate, SpendingLimits limits) {
        return reserve(scope, estimate, limits, List.of());
    }

    /**
     * Allows the request and counts its estimate as spent until settled, or refuses it, checking the monthly limits on
     * the job's path as well: the controller's and each folder's above the job. A monthly limit of a folder the job is
     * not in does not apply and is left out.
     *
     * @throws SpendingRefusedException when the request would pass a limit, or cannot be checked because its price
     *                                  is unknown; the message names each limit in the way, what was spent of it and
     *                                  what is left, and nothing is recorded
     */
    public synchronized Reservation reserve(
            SpendingScope scope, CostEstimate estimate, SpendingLimits limits, List<MonthlyLimit> monthly) {
        UtcMonth month = UtcMonth.of(clock.instant());
        Map<MonthlyLimit, BigDecimal> spentOfMonthly = new LinkedHashMap<>();
        for (MonthlyLimit limit : monthly) {
            if (limit.covers(scope.job())) {
                spentOfMonthly.put(limit, spentInMonth(month, limit.folder()));
            }
        }
        LimitDecision decision = LimitCheck.decide(estimate, limits, spent(scope), month, spentOfMonthly);
        if (decision instanceof LimitDecision.Refused refused) {
            throw new SpendingRefusedException(refused);
        }
        Reservation reservation = new Reservation(scope, estimate, month);
        open.add(reservation);
        return reservation;
    }

    /**
     * What the jobs below {@code folder} (every job when {@code null}) spent in {@code month}: settled requests plus
     * running ones allowed in that month, at their estimate.
     */
    public synchronized BigDecimal spentInMonth(UtcMonth month, String folder) {
        BigDecimal total = settled.byMonth(month, folder);
        for (Reservation r : open) {
            if (r.month.equals(month) && MonthlyLimit.covers(folder, r.scope.job())) {
                total = total.add(r.held);
            }
        }
        return total;
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
            settled.add(r.scope, r.month, charge.cost().usd());
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
        /** The month the request was allowed in, which it is charged to. */
        private final UtcMonth month;
        /** Counted against the limits while the request runs; zero when the price is unknown. */
        private final BigDecimal held;

        private Reservation(SpendingScope scope, CostEstimate estimate, UtcMonth month) {
            this.scope = scope;
            this.estimate = estimate;
            this.month = month;
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
