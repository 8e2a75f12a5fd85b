package io.jenkins.plugins.fluxkontext.core.budget;

import io.jenkins.plugins.fluxkontext.core.model.InvalidRequestException;
import io.jenkins.plugins.fluxkontext.core.model.Violation;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.regex.Pattern;

/** US dollar amounts as people type them into a form and read them in a build log. */
public final class Dollars {

    /** Digits with an optional fraction after a dot; no sign, no exponent, no thousands separator. */
    private static final Pattern AMOUNT = Pattern.compile("\\d+(\\.\\d+)?|\\.\\d+");

    static final String ALLOWED = "an amount in US dollars of 0 or more, written with a dot, such as 0.08 or $1.50";

    private Dollars() {}

    /**
     * {@code $0.24}, {@code $1.00}, {@code $0.035}: always at least cents, so money reads like money, and never
     * fewer digits than the amount has, so a price of $0.035 is not shown as $0.04.
     */
    public static String format(BigDecimal usd) {
        BigDecimal stripped = usd.stripTrailingZeros();
        int scale = Math.max(2, stripped.scale());
        return "$" + usd.setScale(scale, RoundingMode.UNNECESSARY).toPlainString();
    }

    /**
     * Reads an amount typed into {@code field}: {@code 0.08}, {@code $1.50}, surrounding spaces allowed.
     *
     * @return the amount, or {@code null} when {@code text} is null or blank (no amount given)
     * @throws InvalidRequestException naming the field, the value and what is allowed
     */
    public static BigDecimal parse(String field, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        BigDecimal amount = parseOrNull(text);
        if (amount == null) {
            throw new InvalidRequestException(new Violation(field, text.strip(), "use " + ALLOWED));
        }
        return amount;
    }

    /** The amount, or {@code null} when {@code text} is not one. */
    static BigDecimal parseOrNull(String text) {
        String s = text.strip();
        if (s.startsWith("$")) {
            s = s.substring(1);
        }
        return AMOUNT.matcher(s).matches() ? new BigDecimal(s) : null;
    }
}
