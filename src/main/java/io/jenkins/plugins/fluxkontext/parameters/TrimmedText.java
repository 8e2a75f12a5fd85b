package io.jenkins.plugins.fluxkontext.parameters;

/**
 * Text as a form or a Pipeline argument gives it, the way the setters keep it: trimmed, and {@code null} when nothing
 * is left, so an empty field means "the default". The same as Jenkins' {@code Util.fixEmptyAndTrim}, in plain Java so
 * the setters can be exercised without Jenkins (the binding check of the central build calls every one of them).
 */
public final class TrimmedText {

    private TrimmedText() {}

    public static String orNull(String value) {
        if (value == null) {
            return null;
        }
        String trimmed = value.trim();
        return trimmed.isEmpty() ? null : trimmed;
    }
}
