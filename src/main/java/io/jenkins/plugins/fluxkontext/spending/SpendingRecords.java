package io.jenkins.plugins.fluxkontext.spending;

import io.jenkins.plugins.fluxkontext.core.budget.SpendingScope;
import io.jenkins.plugins.fluxkontext.core.budget.SpentAmounts;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The spent amounts the spending limits read, as this plugin keeps them. A job's total is kept for all time (until an
 * administrator deletes the job) and handed to {@code persist} after every change, so it survives a restart. A
 * build's total lives on the build itself (its build page action, in {@code build.xml}); this class only caches
 * it for running builds, and the caller {@link #seedBuild seeds} it from the build before each check, so a build that
 * resumed after a restart starts from what it had spent.
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

    /**
     * @param jobTotals what {@code persist} last received: US dollars by job full name, as decimal strings
     * @param persist   stores the job totals; called after every change
     */
    SpendingRecords(Map<String, String> jobTotals, Consumer<Map<String, String>> persist) {
        if (jobTotals != null) {
            jobTotals.forEach((job, usd) -> jobs.put(job, new BigDecimal(usd)));
        }
        this.persist = persist;
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
    public void add(SpendingScope scope, BigDecimal usd) {
        builds.merge(scope, usd, BigDecimal::add);
        jobs.merge(scope.job(), usd, BigDecimal::add);
        persist.accept(jobTotals());
    }

    /** A job was renamed or moved: its total goes with it. */
    void jobRenamed(String oldFullName, String newFullName) {
        BigDecimal total = jobs.remove(oldFullName);
        if (total != null) {
            jobs.merge(newFullName, total, BigDecimal::add);
            persist.accept(jobTotals());
        }
    }

    /** A job was deleted: a new job of the same name starts from nothing. */
    void jobDeleted(String fullName) {
        if (jobs.remove(fullName) != null) {
            persist.accept(jobTotals());
        }
    }

    /** US dollars by job full name, as decimal strings; what {@code persist} receives. */
    Map<String, String> jobTotals() {
        Map<String, String> totals = new TreeMap<>();
        jobs.forEach((job, usd) -> totals.put(job, usd.toPlainString()));
        return totals;
    }
}
