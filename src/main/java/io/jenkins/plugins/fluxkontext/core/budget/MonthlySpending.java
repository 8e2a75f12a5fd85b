package io.jenkins.plugins.fluxkontext.core.budget;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * What every job spent in each calendar month (UTC), build by build, with who or what started each build: what the
 * monthly limits of folders and of the controller count, and what the "spending this month" tables show. A folder's
 * total is the sum over the jobs below it, so a table of a folder's jobs always adds up to the folder's total.
 *
 * <p>Only this month and the one before are kept: a request reserved in the last minutes of a month is charged to
 * that month even when it ends in the next one. A job that is renamed or moved takes its spending with it; a deleted
 * job's spending stays counted (under its last name, marked deleted) until its month is over, since the money was
 * spent.
 *
 * <p>Not thread-safe: {@link SpendingLedger} calls it under its lock (through {@link SpentAmounts}), and so must every
 * reader. A plain class with plain fields rather than records, because Jenkins stores it with XStream, which cannot
 * set a record's final fields.
 */
public final class MonthlySpending {

    /** By month, e.g. {@code 2026-08}. */
    private TreeMap<String, Month> months = new TreeMap<>();

    /** One job's spending in one month, as the tables show it. */
    public record JobSpending(
            String job, boolean deleted, BigDecimal usd, int requests, int builds, Map<String, BigDecimal> byStarter) {

        public JobSpending {
            byStarter = Collections.unmodifiableMap(new LinkedHashMap<>(byStarter));
        }
    }

    /**
     * Adds the charge of one finished request made in {@code month}. A charge of zero or less changes nothing: a
     * request that cost nothing was not a spending, and no charge may lower a total.
     */
    public void add(UtcMonth month, SpendingScope scope, BigDecimal usd) {
        if (usd.signum() <= 0) {
            return;
        }
        Month m = months().computeIfAbsent(month.toString(), k -> new Month());
        JobRecord job = m.jobs().computeIfAbsent(scope.job(), JobRecord::new);
        BuildRecord build = job.builds().computeIfAbsent(scope.build(), b -> new BuildRecord(scope.startedBy()));
        build.usd = build.usd().add(usd).toPlainString();
        build.requests++;
        // Months before the one before the newest are never read again.
        String oldestKept = UtcMonth.parse(months.lastKey()).previous().toString();
        months.headMap(oldestKept).clear();
    }

    /** What the jobs below {@code folder} spent in {@code month}; all jobs of the controller when {@code null}. */
    public BigDecimal spent(UtcMonth month, String folder) {
        BigDecimal total = BigDecimal.ZERO;
        for (JobSpending row : jobs(month, folder)) {
            total = total.add(row.usd());
        }
        return total;
    }

    /** Every job below {@code folder} (all jobs when {@code null}) that spent in {@code month}, deleted ones last. */
    public List<JobSpending> jobs(UtcMonth month, String folder) {
        Month m = months().get(month.toString());
        if (m == null) {
            return List.of();
        }
        List<JobSpending> rows = new ArrayList<>();
        for (JobRecord job : m.jobs().values()) {
            if (MonthlyLimit.covers(folder, job.job)) {
                rows.add(job.row(false));
            }
        }
        for (JobRecord job : m.deleted()) {
            if (MonthlyLimit.covers(folder, job.job)) {
                rows.add(job.row(true));
            }
        }
        return rows;
    }

    /**
     * An item was renamed or moved: the job itself, or every job below a folder, takes its spending along (deleted
     * jobs below a moved folder too). Jenkins also tells of each job below a moved folder; that second call finds
     * nothing left to move.
     *
     * @return whether anything moved
     */
    public boolean itemRenamed(String oldFullName, String newFullName) {
        Predicate<String> moved = name -> name.equals(oldFullName) || name.startsWith(oldFullName + "/");
        boolean changed = false;
        for (Month m : months().values()) {
            for (JobRecord job : new ArrayList<>(m.jobs().values())) {
                if (moved.test(job.job)) {
                    changed = true;
                    m.jobs().remove(job.job);
                    job.job = newFullName + job.job.substring(oldFullName.length());
                    JobRecord existing = m.jobs().get(job.job);
                    if (existing == null) {
                        m.jobs().put(job.job, job);
                    } else {
                        existing.absorb(job);
                    }
                }
            }
            for (JobRecord job : m.deleted()) {
                if (moved.test(job.job)) {
                    changed = true;
                    job.job = newFullName + job.job.substring(oldFullName.length());
                }
            }
        }
        return changed;
    }

    /**
     * An item was deleted: the job, or every job below a deleted folder, is marked deleted. Its spending still counts
     * for the month, and a new job of the same name starts from nothing.
     *
     * @return whether a job that spent was marked
     */
    public boolean itemDeleted(String fullName) {
        boolean changed = false;
        for (Month m : months().values()) {
            for (JobRecord job : new ArrayList<>(m.jobs().values())) {
                if (job.job.equals(fullName) || job.job.startsWith(fullName + "/")) {
                    m.jobs().remove(job.job);
                    m.deleted().add(job);
                    changed = true;
                }
            }
        }
        return changed;
    }

    /** A copy that shares nothing with this one: what is stored while builds go on charging this one. */
    public MonthlySpending copy() {
        MonthlySpending copy = new MonthlySpending();
        months().forEach((key, m) -> copy.months.put(key, m.copy()));
        return copy;
    }

    private TreeMap<String, Month> months() {
        if (months == null) {
            months = new TreeMap<>();
        }
        return months;
    }

    /** One month: the jobs that spent in it, by full name, and those deleted since. */
    private static final class Month {
        private TreeMap<String, JobRecord> jobs = new TreeMap<>();
        private List<JobRecord> deleted = new ArrayList<>();

        TreeMap<String, JobRecord> jobs() {
            if (jobs == null) {
                jobs = new TreeMap<>();
            }
            return jobs;
        }

        List<JobRecord> deleted() {
            if (deleted == null) {
                deleted = new ArrayList<>();
            }
            return deleted;
        }

        Month copy() {
            Month copy = new Month();
            jobs().forEach((name, job) -> copy.jobs.put(name, job.copy()));
            deleted().forEach(job -> copy.deleted.add(job.copy()));
            return copy;
        }
    }

    /** One job in one month: its builds that spent, by build id, in the order they first spent. */
    private static final class JobRecord {
        private String job;
        private LinkedHashMap<String, BuildRecord> builds = new LinkedHashMap<>();

        JobRecord(String job) {
            this.job = job;
        }

        LinkedHashMap<String, BuildRecord> builds() {
            if (builds == null) {
                builds = new LinkedHashMap<>();
            }
            return builds;
        }

        void absorb(JobRecord other) {
            other.builds().forEach((id, build) -> builds().merge(id, build, BuildRecord::plus));
        }

        JobSpending row(boolean deleted) {
            BigDecimal usd = BigDecimal.ZERO;
            int requests = 0;
            Map<String, BigDecimal> byStarter = new LinkedHashMap<>();
            for (BuildRecord build : builds().values()) {
                usd = usd.add(build.usd());
                requests += build.requests;
                byStarter.merge(build.startedBy(), build.usd(), BigDecimal::add);
            }
            return new JobSpending(job, deleted, usd, requests, builds().size(), byStarter);
        }

        JobRecord copy() {
            JobRecord copy = new JobRecord(job);
            builds().forEach((id, build) -> copy.builds.put(id, build.copy()));
            return copy;
        }
    }

    /** One build's spending in one month. */
    private static final class BuildRecord {
        /** US dollars, as a decimal string. */
        private String usd = "0";

        private String startedBy;
        /** Requests that cost something. */
        private int requests;

        BuildRecord(String startedBy) {
            this.startedBy = startedBy;
        }

        BigDecimal usd() {
            return usd == null ? BigDecimal.ZERO : new BigDecimal(usd);
        }

        String startedBy() {
            return startedBy == null ? SpendingScope.UNKNOWN_STARTER : startedBy;
        }

        BuildRecord plus(BuildRecord other) {
            BuildRecord sum = new BuildRecord(startedBy);
            sum.usd = usd().add(other.usd()).toPlainString();
            sum.requests = requests + other.requests;
            return sum;
        }

        BuildRecord copy() {
            return plus(new BuildRecord(startedBy));
        }
    }
}
