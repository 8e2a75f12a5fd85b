package io.jenkins.plugins.fluxkontext.simulator;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Something that goes wrong with one task on purpose. The same names are used as prompt words
 * ({@code [sim:fail]}) and by a {@link FaultPlan} set from code, so a test and a soak run speak one vocabulary.
 */
public enum Fault {
    /** The task runs and ends in {@code Error}; billed, as BFL bills a task it processed. */
    FAIL("fail", "the task ends in Error with details (billed)"),
    /** The prompt or input image is refused before processing: {@code Request Moderated}; not billed. */
    MODERATE_REQUEST("moderate-request", "the task ends at once in Request Moderated (not billed)"),
    /** The generated image is withheld: {@code Content Moderated} after the latency; not billed. */
    MODERATE_OUTPUT("moderate-output", "the task ends in Content Moderated after its latency (not billed)"),
    /** The submit is refused with 429 as if the active-task limit were reached; nothing is created. */
    RATE_LIMIT(
            "429",
            "the submit answers 429 with Retry-After; nothing is created (=N: the first N submits of this prompt)"),
    /** The submit answers 500 before a task is created. */
    SERVER_ERROR_SUBMIT("5xx-submit", "the submit answers 500 and no task is created"),
    /** The task is created (and will run and be billed), but the submit answers 500. */
    SERVER_ERROR_AFTER_SUBMIT("5xx-after-submit", "the task is created and runs, but the submit answers 500"),
    /** The connection is closed before the submit body is read; no task is created. */
    RESET_BEFORE_SUBMIT("reset-before-submit", "the connection closes before the body is read; no task is created"),
    /** The submit body is read and the task created, then the connection closes without an answer. */
    RESET_AFTER_SUBMIT(
            "reset-after-submit", "the task is created and runs, but the connection closes without an answer"),
    /** The first polls answer 503 (a read the client may retry). */
    SERVER_ERROR_POLL("5xx-poll", "the first polls answer 503 (=N: how many, default 2)"),
    /** The image body trickles out slowly. */
    SLOW_BODY("slow-body", "the image body trickles out over a while (=DURATION, default 5s)"),
    /** The image body stops halfway, below its Content-Length, and the connection closes. */
    TRUNCATED_BODY("truncate", "the image body stops halfway and the connection closes"),
    /** The result URL has already expired when the task is Ready: downloading it answers 403. */
    EXPIRED_URL("expire", "the result URL has expired by the time it is handed out (403)"),
    /** The image bytes are right but labelled {@code text/plain}. */
    WRONG_CONTENT_TYPE("wrong-content-type", "the image is served with Content-Type text/plain"),
    /** The result URL answers 200 with an HTML page instead of an image. */
    HTML_RESULT("html-result", "the result URL serves an HTML page instead of the image"),
    /** The task runs and is billed, then the provider forgets it: polls answer {@code Task not found}. */
    FORGET("forget", "the task runs and is billed, then polls answer Task not found"),
    /** BFL: the result URL carries the API key the status request came with, in its path. */
    KEY_IN_RESULT_URL("key-in-url", "BFL: the result URL has the API key of the status request in its path"),
    /** BFL: the submit answer reports a cost too large for a number ({@code 1E+400} credits). */
    INFINITE_COST("infinite-cost", "BFL: the submit answer reports a cost of 1E+400 credits"),
    /** BFL: the submit answer reports a cost below zero ({@code -1000000} credits). */
    NEGATIVE_COST("negative-cost", "BFL: the submit answer reports a cost of -1000000 credits"),
    /** BFL: the submit answer's task id goes on with a line break, a forged log line and terminal codes. */
    FORGED_TASK_ID(
            "forged-id", "BFL: the task id in the submit answer goes on with a line break and terminal escape codes"),
    /** BFL: the status endpoint is down for a while: the first polls answer 503, more than a few. */
    POLL_OUTAGE("poll-outage", "BFL: the first " + TaskScript.OUTAGE_POLLS + " polls of the task answer 503"),
    /** BFL: the provider is out of capacity for a while: this task's submit answers 429 again and again. */
    RATE_LIMIT_STORM(
            "429-storm",
            "BFL: the submit and the next " + (TaskScript.STORM_REFUSALS - 1)
                    + " of the same prompt and seed answer 429; nothing is created until one is accepted");

    private final String word;
    private final String description;

    Fault(String word, String description) {
        this.word = word;
        this.description = description;
    }

    /** The prompt word, e.g. {@code moderate-output} in {@code [sim:moderate-output]}. */
    public String word() {
        return word;
    }

    public String description() {
        return description;
    }

    /** The fault a prompt word names, or {@code null}. */
    public static Fault fromWord(String word) {
        String wanted = word.trim().toLowerCase(Locale.ROOT);
        for (Fault fault : values()) {
            if (fault.word.equals(wanted)) {
                return fault;
            }
        }
        return null;
    }

    public static String words() {
        return Arrays.stream(values()).map(Fault::word).collect(Collectors.joining(", "));
    }
}
