package io.jenkins.plugins.fluxkontext.core.provider;

import java.io.Serializable;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The secret a provider authenticates us with. It prints as {@code ****} everywhere (toString, records that hold
 * it, exception messages built from it); only a dialect that writes the auth header reads {@link #reveal()}.
 */
public final class ApiKey implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String value;
    /** The key in any letter case; made on first use (also after deserialization). */
    private transient Pattern anyCase;

    private ApiKey(String value) {
        this.value = value;
    }

    /**
     * Rejects a blank key, or one with a line break or another control character inside (a file of two lines, say:
     * no header can carry it), without echoing it. Surrounding whitespace (a pasted newline) is dropped.
     */
    public static ApiKey of(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("The API key is empty");
        }
        String key = value.strip();
        if (key.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(
                    "The API key has a line break or another control character inside; a key is a single line");
        }
        return new ApiKey(key);
    }

    /** The plain key, for the one line of code that puts it in a request header. */
    public String reveal() {
        return value;
    }

    /**
     * Replaces every occurrence of the key in {@code text} (a server's error body, say) with {@code ****}, in any
     * letter case: a host name holding the key comes back lower-cased from every URL parser and name lookup.
     */
    public String scrub(String text) {
        if (text == null) {
            return null;
        }
        Pattern pattern = anyCase;
        if (pattern == null) {
            pattern = Pattern.compile(Pattern.quote(value), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
            anyCase = pattern;
        }
        return pattern.matcher(text).replaceAll(Matcher.quoteReplacement("****"));
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
