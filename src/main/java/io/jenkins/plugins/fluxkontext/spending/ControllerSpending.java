package io.jenkins.plugins.fluxkontext.spending;

import hudson.Extension;
import hudson.ExtensionList;
import hudson.model.Item;
import hudson.model.listeners.ItemListener;
import io.jenkins.plugins.fluxkontext.core.budget.CostEstimate;
import io.jenkins.plugins.fluxkontext.core.budget.SpendingLedger;
import io.jenkins.plugins.fluxkontext.core.budget.SpendingLimits;
import io.jenkins.plugins.fluxkontext.core.budget.SpendingScope;
import java.math.BigDecimal;

/**
 * The ledger every build on this controller shares: it checks each request against the spending limits and records
 * what it cost. One instance per controller (an extension), so builds of all jobs count against the same totals.
 *
 * <p>Job totals are stored by {@link JobSpendingTotals}; build totals live on each build (its build page action),
 * and the caller passes them in with each check.
 */
@Extension
public final class ControllerSpending {

    private final SpendingRecords records;
    private final SpendingLedger ledger;

    public ControllerSpending() {
        JobSpendingTotals stored = JobSpendingTotals.get();
        this.records = new SpendingRecords(stored.read(), stored::store);
        this.ledger = new SpendingLedger(records);
    }

    public static ControllerSpending get() {
        return ExtensionList.lookupSingleton(ControllerSpending.class);
    }

    /**
     * Checks the request against the limits and holds its estimate until settled; {@code spentByBuild} is what the
     * build page says the build has spent so far.
     *
     * @throws io.jenkins.plugins.fluxkontext.core.budget.SpendingRefusedException with the numbers
     */
    public SpendingLedger.Reservation reserve(
            SpendingScope scope, BigDecimal spentByBuild, CostEstimate estimate, SpendingLimits limits) {
        synchronized (ledger) {
            records.seedBuild(scope, spentByBuild);
            return ledger.reserve(scope, estimate, limits);
        }
    }

    /**
     * Records what a finished request cost. The result stays on the agent, which priced it with the same
     * {@code CostEstimate.charge} and sent back the amount; the reservation turns into that amount in one step under
     * the ledger's lock, so no check sees the moment in between.
     */
    public void settle(SpendingLedger.Reservation reservation, BigDecimal charged) {
        reservation.settle(charged);
    }

    /** What {@code job} has spent, for the build page. */
    public BigDecimal spentByJob(String job) {
        synchronized (ledger) {
            return records.byJob(job);
        }
    }

    /** Job totals follow renames and moves, and go with a deleted job. */
    @Extension
    public static final class JobTotalsFollowJobs extends ItemListener {

        @Override
        public void onLocationChanged(Item item, String oldFullName, String newFullName) {
            ControllerSpending spending = get();
            synchronized (spending.ledger) {
                spending.records.jobRenamed(oldFullName, newFullName);
            }
        }

        @Override
        public void onDeleted(Item item) {
            ControllerSpending spending = get();
            synchronized (spending.ledger) {
                spending.records.jobDeleted(item.getFullName());
            }
        }
    }
}
