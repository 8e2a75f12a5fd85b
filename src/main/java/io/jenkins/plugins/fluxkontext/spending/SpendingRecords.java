package io.jenkins.plugins.fluxkontext.spending;

import io.jenkins.plugins.fluxkontext.core.budget.MonthlySpending;
import io.jenkins.plugins.fluxkontext.core.budget.SpendingScope;
import io.jenkins.plugins.fluxkontext.core.budget.SpentAmounts;
import io.jenkins.plugins.fluxkontext.core.budget.UtcMonth;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The spent amounts the spending limits read, as this plugin keeps them. A job's total is kept for all time (until an
 * administrator deletes the job) and handed to {@code persist} after every change, so it survives a restart. A
 * build's total lives on the build itself (its build page action, in {@code build.xml}); this class only caches
 * it for running builds, and the caller {@link #seedBuild seeds} it from the build before each check, so a build that
 * resumed after a restart starts from what it had spent. What each job spent per month (UTC), build by build with who
 * started it, is kept as {@link MonthlySpending} and handed to its own {@code persist} after every change: the folder
 * and controller limits count it, and the spending tables show it.
 *
 * <p>Not thread-safe on its own: the core {@code SpendingLedger} calls it under its lock, and so must the plugin.
 */
final class SpendingRecords implements SpentAmounts {

    /** Builds running at once are few; an evicted one is seeded again from its action before its next check. */
    private static final int CACHED_BUILDS = 500;

    private final Map<SpendingScope, BigDecimal> builds = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<SpendingScope, BigDecimal> eldest) {
            return size() > CACHED_BUILDS;
        }
    };
    private final TreeMap<String, BigDecimal> jobs = new TreeMap<>();
    private final Consumer<Map<String, String>> persist;
    private final MonthlySpending months;
    private final Consumer<MonthlySpending> persistMonths;

    /** Job totals only; the monthly spending is kept in memory. */
    SpendingRecords(Map<String, String> jobTotals, Consumer<Map<String, String>> persist) {
        this(jobTotals, persist, new MonthlySpending(), m -> {});
    }

    /**
     * @param jobTotals     what {@code persist} last received: US dollars by job full name, as decimal strings
     * @param persist       stores the job totals; called after every change
     * @param months        what {@code persistMonths} last received
     * @param persistMonths stores a copy of the monthly spending; called after every change
     */
    SpendingRecords(
            Map<String, String> jobTotals,
            Consumer<Map<String, String>> persist,
            MonthlySpending months,
            Consumer<MonthlySpending> persistMonths) {
        if (jobTotals != null) {
            jobTotals.forEach((job, usd) -> jobs.put(job, new BigDecimal(usd)));
        }
        this.persist = persist;
        this.months = months == null ? new MonthlySpending() : months;
        this.persistMonths = persistMonths;
    }

    /** Sets what {@code scope}'s build has spent, as its build page records it. */
    void seedBuild(SpendingScope scope, BigDecimal spent) {
        builds.put(scope, spent);
    }

    @Override
    public BigDecimal byBuild(SpendingScope scope) {
        return builds.getOrDefault(scope, BigDecimal.ZERO);
    }

    @Override
    public BigDecimal byJob(String job) {
        return jobs.getOrDefault(job, BigDecimal.ZERO);
    }

    @Override
    public BigDecimal byMonth(UtcMonth month, String folder) {
        return months.spent(month, folder);
    }

    @Override
    public void add(SpendingScope scope, UtcMonth month, BigDecimal usd) {
        builds.merge(scope, usd, BigDecimal::add);
        jobs.merge(scope.job(), usd, BigDecimal::add);
        months.add(month, scope, usd);
        persist.accept(jobTotals());
        persistMonths.accept(months.copy());
    }

    /** Every job below {@code folder} (all jobs when {@code null}) that spent in {@code month}. */
    List<MonthlySpending.JobSpending> jobsIn(UtcMonth month, String folder) {
        return months.jobs(month, folder);
    }

    /** A job was renamed or moved: its total goes with it, and so does this month's spending of a moved folder. */
    void jobRenamed(String oldFullName, String newFullName) {
        BigDecimal total = jobs.remove(oldFullName);
        if (total != null) {
            jobs.merge(newFullName, total, BigDecimal::add);
            persist.accept(jobTotals());
        }
        if (months.itemRenamed(oldFullName, newFullName)) {
            persistMonths.accept(months.copy());
        }
    }

    /**
     * A job was deleted: a new job of the same name starts from nothing. What it spent this month still counts for its
     * folders and the controller, marked deleted.
     */
    void jobDeleted(String fullName) {
        if (jobs.remove(fullName) != null) {
            persist.accept(jobTotals());
        }
        if (months.itemDeleted(fullName)) {
            persistMonths.accept(months.copy());
        }
    }

    /** US dollars by job full name, as decimal strings; what {@code persist} receives. */
    Map<String, String> jobTotals() {
        Map<String, String> totals = new TreeMap<>();
        jobs.forEach((job, usd) -> totals.put(job, usd.toPlainString()));
        return totals;
    }
}
