package io.jenkins.plugins.fluxkontext.spending;

import hudson.model.Item;
import hudson.model.ItemGroup;
import io.jenkins.plugins.fluxkontext.core.budget.Dollars;
import io.jenkins.plugins.fluxkontext.core.budget.MonthlySpending.JobSpending;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.security.access.AccessDeniedException;

/**
 * This month's spending below a folder, or on the whole controller, as one person may see it: each job they may read
 * (Item/Read) is a row with its name; what the others spent (jobs hidden from them, and deleted jobs unless they
 * administer Jenkins) is one line without names. Built for the request being answered, under its user's permissions.
 */
public final class SpendingTable {

    private final String month;
    private final BigDecimal spent;
    private final BigDecimal limit;
    private final String limitProblem;
    private final List<Row> rows;
    private final BigDecimal others;

    private SpendingTable(
            String month, BigDecimal spent, BigDecimal limit, String limitProblem, List<Row> rows, BigDecimal others) {
        this.month = month;
        this.spent = spent;
        this.limit = limit;
        this.limitProblem = limitProblem;
        this.rows = List.copyOf(rows);
        this.others = others;
    }

    /**
     * @param base          where job names are looked up: the folder the table is for, or Jenkins itself
     * @param folder        the full name of that folder; {@code null} for Jenkins
     * @param limit         the limit shown beside the total; {@code null} when none is set or it is not an amount
     * @param limitProblem  why a limit that is set is not an amount; {@code null} when it is one or none is set
     * @param administrator whether the person may see the names of deleted jobs
     */
    static SpendingTable of(
            ItemGroup<?> base,
            String folder,
            BigDecimal limit,
            String limitProblem,
            ControllerSpending.ThisMonth thisMonth,
            boolean administrator) {
        List<Row> rows = new ArrayList<>();
        BigDecimal others = BigDecimal.ZERO;
        for (JobSpending job : thisMonth.jobs()) {
            String relative = folder == null ? job.job() : job.job().substring(folder.length() + 1);
            Item item = job.deleted() ? null : readable(base, relative);
            if (item != null) {
                rows.add(new Row(relative, item.getUrl(), job));
            } else if (job.deleted() && administrator) {
                rows.add(new Row(relative, null, job));
            } else {
                others = others.add(job.usd());
            }
        }
        return new SpendingTable(thisMonth.month().display(), thisMonth.spent(), limit, limitProblem, rows, others);
    }

    /**
     * The item at {@code relativeName} below {@code base} if the current user may read it, else {@code null}. Each
     * step goes through {@code ItemGroup#getItem}, which already hides what the user may not see; the explicit
     * Item/Read check holds for item groups that do not.
     */
    static Item readable(ItemGroup<?> base, String relativeName) {
        ItemGroup<?> group = base;
        Item item = null;
        for (String segment : relativeName.split("/")) {
            if (group == null) {
                return null;
            }
            try {
                item = group.getItem(segment);
            } catch (AccessDeniedException e) {
                return null;
            }
            if (item == null) {
                return null;
            }
            group = item instanceof ItemGroup<?> inner ? inner : null;
        }
        return item != null && item.hasPermission(Item.READ) ? item : null;
    }

    /** {@code August 2026}. */
    public String getMonth() {
        return month;
    }

    /** What was spent this month, running requests at their estimate. */
    public String getSpent() {
        return Dollars.format(spent);
    }

    /** {@code $50.00}, or {@code null} when no limit is set. */
    public String getLimit() {
        return limit == null ? null : Dollars.format(limit);
    }

    /** What is left under the limit; {@code null} when no limit is set. */
    public String getLeft() {
        if (limit == null) {
            return null;
        }
        BigDecimal left = limit.subtract(spent);
        return Dollars.format(left.signum() > 0 ? left : BigDecimal.ZERO);
    }

    /** Why the limit that is set cannot be read, e.g. {@code maxCostPerMonth: "ten" is not allowed; ...}. */
    public String getLimitProblem() {
        return limitProblem;
    }

    public List<Row> getRows() {
        return rows;
    }

    /** What the jobs not listed spent, e.g. {@code $0.40}; {@code null} when every job that spent is listed. */
    public String getOthers() {
        return others.signum() == 0 ? null : Dollars.format(others);
    }

    /** One job's spending this month. */
    public static final class Row {
        private final String job;
        private final String url;
        private final JobSpending spending;

        Row(String job, String url, JobSpending spending) {
            this.job = job;
            this.url = url;
            this.spending = spending;
        }

        /** The job's name relative to the table's folder, e.g. {@code banners/poster}. */
        public String getJob() {
            return job;
        }

        /** The job's address below Jenkins' root, e.g. {@code job/marketing/job/poster/}; {@code null} if deleted. */
        public String getUrl() {
            return url;
        }

        public String getSpent() {
            return Dollars.format(spending.usd());
        }

        public BigDecimal getSpentUsd() {
            return spending.usd();
        }

        public int getRequests() {
            return spending.requests();
        }

        public int getBuilds() {
            return spending.builds();
        }

        /** {@code alice $0.24, Started by timer $0.08}: who started the builds that spent, and how much each. */
        public String getStartedBy() {
            return spending.byStarter().entrySet().stream()
                    .map(e -> e.getKey() + " " + Dollars.format(e.getValue()))
                    .collect(Collectors.joining(", "));
        }
    }
}
