package io.jenkins.plugins.fluxkontext.spending;

import hudson.Extension;
import hudson.ExtensionList;
import hudson.model.Item;
import hudson.model.Job;
import hudson.model.listeners.ItemListener;
import io.jenkins.plugins.fluxkontext.config.FluxKontextGlobalConfiguration;
import io.jenkins.plugins.fluxkontext.core.budget.CostEstimate;
import io.jenkins.plugins.fluxkontext.core.budget.MonthlyLimit;
import io.jenkins.plugins.fluxkontext.core.budget.MonthlySpending;
import io.jenkins.plugins.fluxkontext.core.budget.SpendingLedger;
import io.jenkins.plugins.fluxkontext.core.budget.SpendingLimits;
import io.jenkins.plugins.fluxkontext.core.budget.SpendingScope;
import io.jenkins.plugins.fluxkontext.core.budget.UtcMonth;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The ledger every build on this controller shares: it checks each request against the spending limits and records
 * what it cost. One instance per controller (an extension), so builds of all jobs count against the same totals.
 *
 * <p>Job totals are stored by {@link JobSpendingTotals}, and what each job spent per month by
 * {@link MonthlySpendingFile}; build totals live on each build (its build page action), and the caller passes them in
 * with each check.
 */
@Extension
public final class ControllerSpending {

    private final SpendingRecords records;
    private final SpendingLedger ledger;

    public ControllerSpending() {
        JobSpendingTotals stored = JobSpendingTotals.get();
        MonthlySpendingFile months = new MonthlySpendingFile(
                FluxKontextGlobalConfiguration.get().fileInJenkinsHome(MonthlySpendingFile.NAME));
        this.records = new SpendingRecords(stored.read(), stored::store, months.read(), months::write);
        this.ledger = new SpendingLedger(records);
    }

    public static ControllerSpending get() {
        return ExtensionList.lookupSingleton(ControllerSpending.class);
    }

    /**
     * The monthly limits on {@code job}'s path: the controller's, then each folder's from the outermost in.
     *
     * @throws io.jenkins.plugins.fluxkontext.core.model.InvalidRequestException when a limit is not an amount, naming
     *                                                                           where it is set
     */
    public static List<MonthlyLimit> monthlyLimitsOf(Job<?, ?> job) {
        List<MonthlyLimit> limits = new ArrayList<>();
        MonthlyLimit controller = FluxKontextGlobalConfiguration.get().controllerMonthlyLimit();
        if (controller != null) {
            limits.add(controller);
        }
        limits.addAll(FolderBudget.limitsAbove(job));
        return limits;
    }

    /**
     * Checks the request against the limits, the monthly ones on the job's path included, and holds its estimate until
     * settled; {@code spentByBuild} is what the build page says the build has spent so far.
     *
     * @throws io.jenkins.plugins.fluxkontext.core.budget.SpendingRefusedException with the numbers
     */
    public SpendingLedger.Reservation reserve(
            SpendingScope scope,
            BigDecimal spentByBuild,
            CostEstimate estimate,
            SpendingLimits limits,
            List<MonthlyLimit> monthly) {
        synchronized (ledger) {
            records.seedBuild(scope, spentByBuild);
            return ledger.reserve(scope, estimate, limits, monthly);
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

    /**
     * This month's spending below {@code folder} (the whole controller when {@code null}), read at once: the total
     * with running requests at their estimate, and each job's settled spending.
     */
    public ThisMonth thisMonth(String folder) {
        UtcMonth month = UtcMonth.of(Instant.now());
        synchronized (ledger) {
            return new ThisMonth(month, ledger.spentInMonth(month, folder), records.jobsIn(month, folder));
        }
    }

    /**
     * @param spent what was spent, with running requests at their estimate
     * @param jobs  each job's settled spending
     */
    public record ThisMonth(UtcMonth month, BigDecimal spent, List<MonthlySpending.JobSpending> jobs) {}

    /** Job totals follow renames and moves, and go with a deleted job; this month's spending stays counted. */
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
