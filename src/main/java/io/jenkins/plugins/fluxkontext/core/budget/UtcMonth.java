package io.jenkins.plugins.fluxkontext.core.budget;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.format.TextStyle;
import java.util.Locale;
import java.util.Objects;

/**
 * A calendar month in UTC: the period the monthly limits of folders and of the controller count over. A month starts
 * at 00:00 UTC on its first day whatever the controller's time zone, so that the controller, its administrators and
 * the provider's invoice agree on when a budget starts again.
 *
 * @param month the year and month, e.g. 2026-08
 */
public record UtcMonth(YearMonth month) implements Comparable<UtcMonth> {

    public UtcMonth {
        Objects.requireNonNull(month, "month");
    }

    /** The month {@code instant} falls in, in UTC. */
    public static UtcMonth of(Instant instant) {
        return new UtcMonth(YearMonth.from(instant.atOffset(ZoneOffset.UTC)));
    }

    /**
     * Reads {@link #toString()}'s form back, e.g. {@code 2026-08}.
     *
     * @throws IllegalArgumentException when {@code text} is not a month written that way
     */
    public static UtcMonth parse(String text) {
        try {
            return new UtcMonth(YearMonth.parse(String.valueOf(text)));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("month: \"" + text + "\" is not allowed; write it as 2026-08", e);
        }
    }

    /** The first instant of the month. */
    public Instant start() {
        return month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** The first instant of the next month, when this month's budgets start again from nothing. */
    public Instant end() {
        return next().start();
    }

    public UtcMonth next() {
        return new UtcMonth(month.plusMonths(1));
    }

    public UtcMonth previous() {
        return new UtcMonth(month.minusMonths(1));
    }

    /** {@code August 2026}. */
    public String display() {
        return month.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH) + " " + month.getYear();
    }

    @Override
    public int compareTo(UtcMonth other) {
        return month.compareTo(other.month);
    }

    /** {@code 2026-08}: the form stored and read back by {@link #parse}. */
    @Override
    public String toString() {
        return month.toString();
    }
}
