package io.jenkins.plugins.fluxkontext.core.budget;

import io.jenkins.plugins.fluxkontext.core.engine.GenerationResult;
import io.jenkins.plugins.fluxkontext.core.model.KontextModel;
import io.jenkins.plugins.fluxkontext.core.task.Billing;
import io.jenkins.plugins.fluxkontext.core.task.Cost;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;
import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

/**
 * What a request will cost before it is sent: images times the price per image from the {@link PriceTable}.
 *
 * @param provider      the provider id, e.g. {@code bfl}
 * @param model         the model asked for
 * @param images        how many images (one task each)
 * @param pricePerImage the table's price; {@code null} when the table has none (the price is unknown)
 */
public record CostEstimate(String provider, KontextModel model, int images, BigDecimal pricePerImage) {

    public CostEstimate {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
        if (images < 0) {
            throw new IllegalArgumentException("images: " + images + " is not allowed; use 0 or more");
        }
    }

    public boolean priceKnown() {
        return pricePerImage != null;
    }

    /** The estimated total, or empty when the price is unknown. */
    public Optional<Cost> cost() {
        return priceKnown()
                ? Optional.of(Cost.estimated(pricePerImage.multiply(BigDecimal.valueOf(images))))
                : Optional.empty();
    }

    /** {@code 3 images × $0.08 = $0.24}, or {@code 3 images × unknown price = unknown (no price for ...)}. */
    public String display() {
        String count = images + (images == 1 ? " image" : " images");
        if (!priceKnown()) {
            return count + " × unknown price = unknown (the price table has no price for " + what() + ")";
        }
        return count + " × " + Dollars.format(pricePerImage) + " = "
                + Dollars.format(cost().orElseThrow().usd());
    }

    /** {@code flux-kontext-max on bfl}. */
    public String what() {
        return model.id() + " on " + provider;
    }

    /**
     * What a finished request cost, for the spent-amount tally. A cost the provider reported replaces our estimate
     * for that task, when it can be true ({@link Cost#isBelievableFor}). A task without a reported cost counts at the table price when it was billed or may have been
     * (a submit with no clear answer is counted, because a limit must not be passed by money we cannot see), and
     * counts nothing when the outcome says it was not billed.
     */
    public Charge charge(GenerationResult result) {
        Cost total = null;
        int unpriced = 0;
        for (TaskOutcome outcome : result.outcomes()) {
            Cost part;
            if (outcome instanceof TaskOutcome.Succeeded s
                    && s.cost() != null
                    && s.cost().isBelievableFor(Math.max(1, s.images().size()))) {
                part = s.cost();
            } else if (outcome.billing() == Billing.NOT_BILLED) {
                continue;
            } else if (!priceKnown()) {
                unpriced++;
                continue;
            } else {
                int made = outcome instanceof TaskOutcome.Succeeded s
                        ? Math.max(1, s.images().size())
                        : 1;
                part = Cost.estimated(pricePerImage.multiply(BigDecimal.valueOf(made)));
            }
            total = total == null ? part : total.plus(part);
        }
        return new Charge(total == null ? Cost.estimated(BigDecimal.ZERO) : total, unpriced);
    }

    /** The whole estimate charged, for when no result came back (see {@link SpendingLedger.Reservation#close()}). */
    Charge chargeInFull() {
        return cost().map(c -> new Charge(c, 0)).orElseGet(() -> new Charge(Cost.estimated(BigDecimal.ZERO), images));
    }

    /**
     * What was charged.
     *
     * @param cost          the known part: reported by the provider, from the price table, or {@code mixed}
     * @param unpricedTasks billed tasks whose cost neither the provider nor the table knows; not in {@code cost}
     */
    public record Charge(Cost cost, int unpricedTasks) {

        /** {@code $0.16 (reported by the provider)}, plus a note when some tasks could not be priced. */
        public String display() {
            String source =
                    switch (cost.source()) {
                        case "provider" -> "reported by the provider";
                        case "price table" -> "estimated from the price table";
                        case Cost.SIMULATOR -> "simulated, nothing billed";
                        default -> "partly reported by the provider, partly estimated from the price table";
                    };
            String text = Dollars.format(cost.usd()) + " (" + source + ")";
            if (unpricedTasks > 0) {
                text += " plus " + unpricedTasks + (unpricedTasks == 1 ? " task" : " tasks") + " at an unknown price";
            }
            return text;
        }
    }
}
