package io.jenkins.plugins.fluxkontext.parameters;

import io.jenkins.plugins.fluxkontext.core.model.InvalidRequestException;
import io.jenkins.plugins.fluxkontext.core.model.Violation;
import java.util.Locale;

/** What a moderated task does to the build: fail it (the default), or mark it unstable and go on. */
public enum ModerationPolicy {
    FAILURE,
    UNSTABLE;

    /** {@code null} or blank means {@link #FAILURE}; anything but the two names is refused, naming the field. */
    public static ModerationPolicy parse(String value) {
        if (value == null || value.isBlank()) {
            return FAILURE;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(new Violation("onModeration", value, "use FAILURE or UNSTABLE"));
        }
    }

    /**
     * For a step's setter: {@code null} stays {@code null}, an allowed value becomes its name, anything else is kept
     * as given for {@link #parse} to refuse when the step runs. A setter that throws reaches a Pipeline user as a
     * stack trace from structs; the step's own check names the field, the value and what is allowed.
     */
    public static String tidy(String value) {
        if (value == null) {
            return null;
        }
        try {
            return parse(value).name();
        } catch (InvalidRequestException e) {
            return value;
        }
    }
}
