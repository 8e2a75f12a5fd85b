package io.jenkins.plugins.fluxkontext.config;

import io.jenkins.plugins.fluxkontext.core.budget.Dollars;
import io.jenkins.plugins.fluxkontext.core.budget.PriceTable;
import io.jenkins.plugins.fluxkontext.core.budget.PriceTableException;
import io.jenkins.plugins.fluxkontext.core.model.InvalidRequestException;
import io.jenkins.plugins.fluxkontext.core.model.Violation;
import io.jenkins.plugins.fluxkontext.parameters.ImageHostsBehindProxy;
import io.jenkins.plugins.fluxkontext.parameters.StepSettings;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * What the configuration forms say about one field, worded exactly as a build would refuse it: each check runs the
 * step's own validation ({@link StepSettings#check()}) with only that field set, and keeps that field's problems.
 * Returns {@code null} when the value is fine.
 */
final class ParameterCheck {

    private ParameterCheck() {}

    /** {@code field}'s problems when {@code set} applies the value to otherwise valid settings. */
    static String problem(String field, UnaryOperator<StepSettings> set) {
        return problems(set, field);
    }

    /**
     * The problems of {@code fields} (an entry {@code aspectRatios} also matches {@code aspectRatios[2]}) when
     * {@code set} applies the value to otherwise valid settings.
     */
    static String problems(UnaryOperator<StepSettings> set, String... fields) {
        StepSettings settings;
        try {
            settings = set.apply(StepSettings.generate("a prompt"));
            settings.check();
            return null;
        } catch (InvalidRequestException e) {
            List<String> wanted = List.of(fields);
            String found = e.violations().stream()
                    .filter(v -> wanted.contains(v.field().replaceFirst("\\[\\d+]$", "")))
                    .map(Violation::message)
                    .collect(Collectors.joining("; "));
            return found.isEmpty() ? null : found;
        }
    }

    static String prompt(String value) {
        return problem("prompt", s -> StepSettings.generate(value));
    }

    /** A whole number typed into a form, checked by {@code set}; blank means the default and is fine. */
    static String number(String field, String value, BiFunction<StepSettings, Integer, StepSettings> set) {
        if (value == null || value.isBlank()) {
            return null;
        }
        int n;
        try {
            n = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            return new Violation(field, value.strip(), Messages.ParameterCheck_WholeNumber()).message();
        }
        return problem(field, s -> set.apply(s, n));
    }

    static String seed(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            long seed = Long.parseLong(value.strip());
            return problem("seed", s -> s.seed(seed));
        } catch (NumberFormatException e) {
            return new Violation("seed", value.strip(), Messages.ParameterCheck_WholeNumberFromZero()).message();
        }
    }

    /** Paths of a freestyle step may hold build variables, known only when the build runs. */
    static boolean hasVariables(String value) {
        return value != null && value.contains("$");
    }

    /** A US dollar amount, e.g. a spending limit. */
    static String amount(String field, String value) {
        try {
            Dollars.parse(field, value);
            return null;
        } catch (InvalidRequestException e) {
            return e.violations().get(0).message();
        }
    }

    /** Every entry of the image hosts allowed behind a proxy that is not a host name or {@code *.domain}. */
    static String imageHosts(String text) {
        try {
            ImageHostsBehindProxy.parse(text);
            return null;
        } catch (InvalidRequestException e) {
            return e.violations().stream().map(Violation::message).collect(Collectors.joining("; "));
        }
    }

    /** Every bad line of a price table, with its number; {@code null} when the table reads. */
    static String priceTable(String text) {
        try {
            PriceTable.fromConfiguration(text);
            return null;
        } catch (PriceTableException e) {
            return e.getMessage();
        }
    }
}
