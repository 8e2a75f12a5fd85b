package io.jenkins.plugins.fluxkontext.core.engine;

import io.jenkins.plugins.fluxkontext.core.model.Redaction;
import io.jenkins.plugins.fluxkontext.core.provider.ApiKey;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Makes text from servers and exceptions fit for a build log: the API key masked (in any letter case), query strings
 * (signatures) cut from any URL in it, on one line without control characters, and of a length a log line can bear.
 * Every string the engine puts into an outcome or event goes through here.
 */
final class Scrubber {

    private static final Pattern URL_QUERY = Pattern.compile("(https?://[^\\s?#\"'<>]*)[?#][^\\s\"'<>]*");
    /** Longer than any error text a provider means for people (those are cut at 500), short enough for a log. */
    static final int MAX_TEXT_LENGTH = 1000;
    /** Real task ids are UUIDs or shorter; this one goes into every line about the task and into file names. */
    static final int MAX_TASK_ID_LENGTH = 80;

    private final ApiKey key;

    Scrubber(ApiKey key) {
        this.key = key;
    }

    String text(String s) {
        if (s == null) {
            return null;
        }
        return Redaction.printable(URL_QUERY.matcher(key.scrub(s)).replaceAll("$1"), MAX_TEXT_LENGTH);
    }

    /** A task id as it may be shown and stored: masked, printable, and short. */
    String taskId(String id) {
        return id == null ? null : Redaction.printable(key.scrub(id), MAX_TASK_ID_LENGTH);
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
