package io.jenkins.plugins.fluxkontext.core.budget;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The one decision over every limit on a request's path: the step's, the build's and the job's
 * ({@link SpendingLimits}), and the monthly limits of the folders above the job and of the controller
 * ({@link MonthlyLimit}). A refusal names each limit in the way with what was spent of it and what is left.
 */
final class LimitCheck {

    private LimitCheck() {}

    /**
     * @param month   the month the monthly amounts are for; {@code null} when {@code monthly} is empty
     * @param monthly each monthly limit on the path, with what was spent of it this month (running requests included)
     */
    static LimitDecision decide(
            CostEstimate estimate,
            SpendingLimits limits,
            Spent spent,
            UtcMonth month,
            Map<MonthlyLimit, BigDecimal> monthly) {
        if (!limits.any() && monthly.isEmpty()) {
            return new LimitDecision.Allowed();
        }
        if (!estimate.priceKnown()) {
            return unknownPrice(estimate, limits, monthly);
        }
        BigDecimal cost = estimate.cost().orElseThrow().usd();
        List<String> fields = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        BigDecimal maxCost = limits.maxCost();
        if (maxCost != null && cost.compareTo(maxCost) > 0) {
            fields.add(SpendingLimits.MAX_COST);
            reasons.add("that is more than this step's limit of " + Dollars.format(maxCost) + " ("
                    + SpendingLimits.MAX_COST + ")");
        }
        if (limits.maxCostPerBuild() != null && spent.build().add(cost).compareTo(limits.maxCostPerBuild()) > 0) {
            fields.add(SpendingLimits.MAX_COST_PER_BUILD);
            reasons.add(spentOf(
                    "the build", spent.build(), limits.maxCostPerBuild(), "", SpendingLimits.MAX_COST_PER_BUILD));
        }
        if (limits.maxCostPerJob() != null && spent.job().add(cost).compareTo(limits.maxCostPerJob()) > 0) {
            fields.add(SpendingLimits.MAX_COST_PER_JOB);
            reasons.add(spentOf("the job", spent.job(), limits.maxCostPerJob(), "", SpendingLimits.MAX_COST_PER_JOB));
        }
        for (Map.Entry<MonthlyLimit, BigDecimal> e : monthly.entrySet()) {
            MonthlyLimit limit = e.getKey();
            if (e.getValue().add(cost).compareTo(limit.usd()) > 0) {
                fields.add(limit.field());
                reasons.add(spentOf(
                        limit.owner(),
                        e.getValue(),
                        limit.usd(),
                        " for " + month.display() + " in UTC",
                        MonthlyLimit.MAX_COST_PER_MONTH));
            }
        }
        if (reasons.isEmpty()) {
            return new LimitDecision.Allowed();
        }
        return new LimitDecision.Refused(
                fields,
                "This request would cost " + Dollars.format(cost) + " ("
                        + estimate.display() + ", " + estimate.what() + "); " + String.join("; ", reasons)
                        + ". Nothing was submitted. Lower the count or raise " + String.join(" and ", fields) + ".");
    }

    private static LimitDecision unknownPrice(
            CostEstimate estimate, SpendingLimits limits, Map<MonthlyLimit, BigDecimal> monthly) {
        Map<String, BigDecimal> set = new LinkedHashMap<>(limits.setLimits());
        monthly.keySet().forEach(limit -> set.put(limit.field(), limit.usd()));
        String named = set.entrySet().stream()
                .map(e -> e.getKey() + " (" + Dollars.format(e.getValue()) + ")")
                .collect(Collectors.joining(" and "));
        return new LimitDecision.Refused(
                List.copyOf(set.keySet()),
                "The price of " + estimate.what()
                        + " is unknown, so this request (" + plural(estimate.images(), "image")
                        + ") cannot be checked"
                        + " against " + named + ". Nothing was submitted. Add a line \"" + estimate.provider()
                        + " "
                        + estimate.model().id()
                        + " <US dollars per image>\" to the price table, or remove the limit.");
    }

    private static String spentOf(String who, BigDecimal spent, BigDecimal limit, String period, String field) {
        BigDecimal left = limit.subtract(spent);
        return who + " has spent " + Dollars.format(spent) + " of its " + Dollars.format(limit) + " limit" + period
                + " (" + field + "), so " + (left.signum() > 0 ? Dollars.format(left) + " is left" : "nothing is left");
    }

    private static String plural(int n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }
}
