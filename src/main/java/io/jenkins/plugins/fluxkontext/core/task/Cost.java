package io.jenkins.plugins.fluxkontext.core.task;

import java.io.Serializable;
import java.math.BigDecimal;

/**
 * An amount charged or estimated, in US dollars.
 *
 * @param usd    the amount
 * @param source where the figure comes from: {@code provider} when the provider reported it, {@code price table}
 *               when it is our estimate, {@value #SIMULATOR} when the provider simulator reported what a real provider
 *               would charge (nothing was billed)
 */
public record Cost(BigDecimal usd, String source) implements Serializable {

    public static final String SIMULATOR = "simulator";

    /**
     * More than any image model charges for one image (FLUX.1 Kontext [max] costs $0.08): a provider reporting more is
     * not believed, nor one reporting less than nothing.
     */
    public static final BigDecimal MOST_BELIEVABLE_PER_IMAGE = new BigDecimal("10");

    public static Cost reported(BigDecimal usd) {
        return new Cost(usd, "provider");
    }

    public static Cost estimated(BigDecimal usd) {
        return new Cost(usd, "price table");
    }

    /** The same amount, as reported by the provider simulator: what a real provider would charge, not billed. */
    public Cost asSimulated() {
        return new Cost(usd, SIMULATOR);
    }

    public Cost plus(Cost other) {
        if (other == null) {
            return this;
        }
        String merged = source.equals(other.source) ? source : "mixed";
        return new Cost(usd.add(other.usd), merged);
    }

    /**
     * Whether a provider could really have charged this for {@code images} images: not below zero and not more than
     * {@link #MOST_BELIEVABLE_PER_IMAGE} each. A figure that fails this is dropped and the price table counts instead,
     * so a hostile or broken answer can neither lower what a build has spent nor fill its limit.
     */
    public boolean isBelievableFor(int images) {
        return usd.signum() >= 0
                && usd.compareTo(MOST_BELIEVABLE_PER_IMAGE.multiply(BigDecimal.valueOf(Math.max(1, images)))) <= 0;
    }

    /** {@code $0.08}. */
    public String display() {
        return "$" + usd.stripTrailingZeros().toPlainString();
    }
}
