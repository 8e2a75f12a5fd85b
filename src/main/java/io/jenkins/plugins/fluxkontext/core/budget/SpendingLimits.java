package io.jenkins.plugins.fluxkontext.core.budget;

import io.jenkins.plugins.fluxkontext.core.model.InvalidRequestException;
import io.jenkins.plugins.fluxkontext.core.model.Violation;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How much money a request may take, in US dollars; {@code null} means no limit of that kind.
 *
 * <p>A request is allowed when, for every limit set, what was already spent plus the request's estimate is at most
 * the limit: <strong>reaching a limit exactly is allowed</strong> (a build limit of $1.00 lets a build spend $1.00),
 * because a limit reads as "spend at most this".
 *
 * <p>When the price of the request is unknown (no line in the {@link PriceTable}) and any limit is set, the request
 * is refused: the limit cannot be checked, and letting it through would make the limit a promise we cannot keep.
 * Without limits, an unknown price is no reason to refuse.
 *
 * @param maxCost         per step (the step's {@code maxCost} parameter)
 * @param maxCostPerBuild per build, from the global configuration
 * @param maxCostPerJob   per job, from the global configuration
 */
public record SpendingLimits(BigDecimal maxCost, BigDecimal maxCostPerBuild, BigDecimal maxCostPerJob) {

    public static final String MAX_COST = "maxCost";
    public static final String MAX_COST_PER_BUILD = "maxCostPerBuild";
    public static final String MAX_COST_PER_JOB = "maxCostPerJob";

    public static final SpendingLimits NONE = new SpendingLimits(null, null, null);

    public SpendingLimits {
        List<Violation> problems = new ArrayList<>();
        negative(MAX_COST, maxCost, problems);
        negative(MAX_COST_PER_BUILD, maxCostPerBuild, problems);
        negative(MAX_COST_PER_JOB, maxCostPerJob, problems);
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
    }

    /**
     * Limits as typed into forms: {@code 1.50}, {@code $1.50}, blank for none.
     *
     * @throws InvalidRequestException naming every field that is not an amount
     */
    public static SpendingLimits parse(String maxCost, String maxCostPerBuild, String maxCostPerJob) {
        List<Violation> problems = new ArrayList<>();
        BigDecimal step = parseInto(MAX_COST, maxCost, problems);
        BigDecimal build = parseInto(MAX_COST_PER_BUILD, maxCostPerBuild, problems);
        BigDecimal job = parseInto(MAX_COST_PER_JOB, maxCostPerJob, problems);
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        return new SpendingLimits(step, build, job);
    }

    public boolean any() {
        return maxCost != null || maxCostPerBuild != null || maxCostPerJob != null;
    }

    /** This step's limits with the step's own {@code maxCost}; the build and job limits stay. */
    public SpendingLimits withMaxCost(BigDecimal stepLimit) {
        return new SpendingLimits(stepLimit, maxCostPerBuild, maxCostPerJob);
    }

    /**
     * Decides whether a request estimated at {@code estimate} may be sent, given what was spent so far. Pure: it
     * records nothing ({@link SpendingLedger#reserve} checks and records in one step, and adds the monthly limits).
     */
    public LimitDecision check(CostEstimate estimate, Spent spent) {
        return LimitCheck.decide(estimate, this, spent, null, Map.of());
    }

    /** The limits set, by field name, with their amounts. */
    Map<String, BigDecimal> setLimits() {
        Map<String, BigDecimal> set = new LinkedHashMap<>();
        if (maxCost != null) {
            set.put(MAX_COST, maxCost);
        }
        if (maxCostPerBuild != null) {
            set.put(MAX_COST_PER_BUILD, maxCostPerBuild);
        }
        if (maxCostPerJob != null) {
            set.put(MAX_COST_PER_JOB, maxCostPerJob);
        }
        return set;
    }

    private static void negative(String field, BigDecimal value, List<Violation> problems) {
        if (value != null && value.signum() < 0) {
            problems.add(new Violation(field, value.toPlainString(), "use " + Dollars.ALLOWED));
        }
    }

    private static BigDecimal parseInto(String field, String text, List<Violation> problems) {
        try {
            return Dollars.parse(field, text);
        } catch (InvalidRequestException e) {
            problems.addAll(e.violations());
            return null;
        }
    }
}
