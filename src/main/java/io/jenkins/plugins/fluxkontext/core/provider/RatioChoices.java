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
        String wanted = reduced(ratio.width(), ratio.height());
        for (String value : values) {
            String[] sides = value.split(":");
            // Compared in lowest terms both ways: 21:9 is 7:3, and 42:18 asks for it.
            if (reduced(Integer.parseInt(sides[0]), Integer.parseInt(sides[1])).equals(wanted)) {
                return value;
            }
        }
        return null;
    }

    private static String reduced(int width, int height) {
        int gcd = BigInteger.valueOf(width).gcd(BigInteger.valueOf(height)).intValue();
        return width / gcd + ":" + height / gcd;
    }

    /** A violation when {@code ratio} is set and not one of the values; {@code null} otherwise. */
    public Violation check(AspectRatio ratio) {
        if (ratio == null || wireValue(ratio) != null) {
            return null;
        }
        return new Violation("aspectRatio", ratio.toString(), provider + " takes only " + String.join(", ", values));
    }
}
