package io.jenkins.plugins.fluxkontext.simulator;

import java.math.BigDecimal;
import java.util.Map;

/**
 * What a provider charges per image, by model id, in US dollars. The defaults are BFL's published prices:
 * kontext-max $0.08 per image and kontext-pro $0.04 (BFL's pricing page). BFL quotes prices in credits of one US cent
 * each, which is how the submit answer's {@code cost} field is filled.
 */
public record PriceList(Map<String, BigDecimal> usdPerImage) {

    public static final PriceList BFL = new PriceList(Map.of(
            "flux-kontext-max", new BigDecimal("0.08"),
            "flux-kontext-pro", new BigDecimal("0.04")));

    /** One BFL credit is one US cent. */
    public static final BigDecimal USD_PER_CREDIT = new BigDecimal("0.01");

    public PriceList {
        usdPerImage = Map.copyOf(usdPerImage);
    }

    /** The price of one image of {@code model}; zero for a model without a price. */
    public BigDecimal usd(String model) {
        return usdPerImage.getOrDefault(model, BigDecimal.ZERO);
    }

    public BigDecimal credits(String model) {
        return usd(model).divide(USD_PER_CREDIT).stripTrailingZeros();
    }
}
