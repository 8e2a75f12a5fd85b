package io.jenkins.plugins.fluxkontext.core.provider;

import io.jenkins.plugins.fluxkontext.core.model.AspectRatio;
import io.jenkins.plugins.fluxkontext.core.model.Violation;
import java.math.BigInteger;
import java.util.List;

/**
 * The aspect ratios a provider takes as an enum (fal's nine, Replicate's thirteen, ToAPIs' nine). A requested W:H is
 * sent as the enum value of exactly the same shape (2:2 is sent as 1:1) or refused; it is never rounded to a
 * neighbour.
 */
public record RatioChoices(String provider, List<String> values) {

    public RatioChoices {
        values = List.copyOf(values);
    }

    public static RatioChoices of(String provider, String... values) {
        return new RatioChoices(provider, List.of(values));
    }

    /** The enum value for {@code ratio}, or {@code null} when the provider has none of that shape. */
    public String wireValue(AspectRatio ratio) {
        int gcd = BigInteger.valueOf(ratio.width()).gcd(BigInteger.valueOf(ratio.height())).intValue();
        String reduced = ratio.width() / gcd + ":" + ratio.height() / gcd;
        return values.contains(reduced) ? reduced : null;
    }

    /** A violation when {@code ratio} is set and not one of the values; {@code null} otherwise. */
    public Violation check(AspectRatio ratio) {
        if (ratio == null || wireValue(ratio) != null) {
            return null;
        }
        return new Violation("aspectRatio", ratio.toString(), provider + " takes only " + String.join(", ", values));
    }
}
