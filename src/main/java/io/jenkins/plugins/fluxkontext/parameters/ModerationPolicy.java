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
}
