package io.jenkins.plugins.fluxkontext.core.engine;

import io.jenkins.plugins.fluxkontext.core.provider.ApiKey;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Makes text from servers and exceptions fit for a build log: the API key masked, query strings (signatures) cut from
 * any URL in it. Every string the engine puts into an outcome or event goes through here.
 */
final class Scrubber {

    private static final Pattern URL_QUERY = Pattern.compile("(https?://[^\\s?#\"'<>]*)[?#][^\\s\"'<>]*");

    private final ApiKey key;

    Scrubber(ApiKey key) {
        this.key = key;
    }

    String text(String s) {
        if (s == null) {
            return null;
        }
        return URL_QUERY.matcher(key.scrub(s)).replaceAll("$1");
    }

    /** A short account of a network failure, e.g. {@code read timed out} or {@code connection refused}. */
    String failure(Throwable e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        String what =
                switch (e) {
                    case ConnectException c -> "could not connect";
                    case UnknownHostException u -> "unknown host";
                    case SocketTimeoutException t -> "timed out";
                    case InterruptedIOException i -> "interrupted";
                    default -> e.getClass().getSimpleName();
                };
        return text(message.isBlank() ? what : what + " (" + message + ")");
    }
}
