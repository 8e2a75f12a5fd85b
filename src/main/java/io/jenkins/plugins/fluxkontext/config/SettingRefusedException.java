package io.jenkins.plugins.fluxkontext.config;

/**
 * A value a global setting refuses, with the field it belongs to. Thrown by the setters, so configuration-as-code fails
 * when it applies a typo, naming it; {@link FluxKontextGlobalConfiguration#configure} turns it into a message on the
 * form instead of an error page.
 */
public final class SettingRefusedException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String field;

    SettingRefusedException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The property the value was given for, e.g. {@code pollTimeout}. */
    public String field() {
        return field;
    }
}
