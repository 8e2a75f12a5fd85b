package io.jenkins.plugins.fluxkontext.core.provider;

import java.io.Serializable;
import java.util.Objects;

/**
 * The secret a provider authenticates us with. It prints as {@code ****} everywhere (toString, records that hold
 * it, exception messages built from it); only a dialect that writes the auth header reads {@link #reveal()}.
 */
public final class ApiKey implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String value;

    private ApiKey(String value) {
        this.value = value;
    }

    /** Rejects a blank key without echoing it. Surrounding whitespace (a pasted newline) is dropped. */
    public static ApiKey of(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("The API key is empty");
        }
        return new ApiKey(value.strip());
    }

    /** The plain key, for the one line of code that puts it in a request header. */
    public String reveal() {
        return value;
    }

    /** Replaces every occurrence of the key in {@code text} (a server's error body, say) with {@code ****}. */
    public String scrub(String text) {
        return text == null ? null : text.replace(value, "****");
    }

    @Override
    public String toString() {
        return "****";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ApiKey other && value.equals(other.value);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(value);
    }
}
