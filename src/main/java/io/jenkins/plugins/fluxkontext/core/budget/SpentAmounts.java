package io.jenkins.plugins.fluxkontext.core.budget;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Where settled spending is kept. The plugin implements this over what it persists (a per-build action, per-job
 * totals and the monthly spending in files of its own), so limits survive a restart; {@link #inMemory()} serves the
 * command line and tests. The period a job's total covers (all time, or since an administrator reset it) is the
 * implementation's choice; the monthly amounts are calendar months in UTC.
 *
 * <p>{@link SpendingLedger} calls these under its lock, so a check and the amounts it reads are consistent; keep
 * them quick.
 */
public interface SpentAmounts {

    /** What this build has spent on finished requests. */
    BigDecimal byBuild(SpendingScope scope);

    /** What this job has spent on finished requests. */
    BigDecimal byJob(String job);

    /** What the jobs below {@code folder} (every job when {@code null}) spent in {@code month} on finished requests. */
    BigDecimal byMonth(UtcMonth month, String folder);

    /** Adds the charge of one finished request, made in {@code month}, to its build, its job and the month. */
    void add(SpendingScope scope, UtcMonth month, BigDecimal usd);

    /** Adds a charge made now. */
    default void add(SpendingScope scope, BigDecimal usd) {
        add(scope, UtcMonth.of(Instant.now()), usd);
    }

    /** Amounts kept in this JVM only; lost on restart. */
    static SpentAmounts inMemory() {
        return new SpentAmounts() {
            private final Map<SpendingScope, BigDecimal> builds = new HashMap<>();
            private final Map<String, BigDecimal> jobs = new HashMap<>();
            private final MonthlySpending months = new MonthlySpending();

            @Override
            public synchronized BigDecimal byBuild(SpendingScope scope) {
                return builds.getOrDefault(scope, BigDecimal.ZERO);
            }

            @Override
            public synchronized BigDecimal byJob(String job) {
                return jobs.getOrDefault(job, BigDecimal.ZERO);
            }

            @Override
            public synchronized BigDecimal byMonth(UtcMonth month, String folder) {
                return months.spent(month, folder);
            }

            @Override
            public synchronized void add(SpendingScope scope, UtcMonth month, BigDecimal usd) {
                builds.merge(scope, usd, BigDecimal::add);
                jobs.merge(scope.job(), usd, BigDecimal::add);
                months.add(month, scope, usd);
            }
        };
    }
}
