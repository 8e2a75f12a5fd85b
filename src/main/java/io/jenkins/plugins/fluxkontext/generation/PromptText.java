package io.jenkins.plugins.fluxkontext.generation;

/** Prompts as they appear in logs and step views: on one line, cut short. */
public final class PromptText {

    static final int SHOWN_LENGTH = 60;

    private PromptText() {}

    /** {@code null} for anything that is not text, so a step view falls back to its default rendering. */
    public static String shorten(Object prompt) {
        if (!(prompt instanceof String text) || text.isBlank()) {
            return null;
        }
        String oneLine = text.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= SHOWN_LENGTH ? oneLine : oneLine.substring(0, SHOWN_LENGTH - 1) + "…";
    }
}
