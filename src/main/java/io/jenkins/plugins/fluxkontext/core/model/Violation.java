package io.jenkins.plugins.fluxkontext.core.model;

/**
 * One reason a request cannot be sent: the field, the value that was given, and what is allowed.
 * The value is shown as given, so it must never hold a secret.
 */
public record Violation(String field, String value, String allowed) {

    /** Reads like {@code aspectRatio: "30:9" is not allowed; use W:H between 21:9 and 9:21}. */
    public String message() {
        return field + ": " + (value == null ? "no value" : "\"" + value + "\"") + " is not allowed; " + allowed;
    }

    @Override
    public String toString() {
        return message();
    }
}
