package io.jenkins.plugins.fluxkontext.simulator;

import java.time.Duration;
import java.time.Instant;

/**
 * What the server knows about one task it created, for tests and benchmarks (detection lag, polls per task).
 *
 * @param taskId           the task
 * @param model            e.g. {@code flux-kontext-max}
 * @param state            where it is now
 * @param submittedAt      when the submit created it
 * @param endedAt          when it reached its end, or {@code null} while pending
 * @param firstSeenEndedAt when a poll first answered with its end, or {@code null}
 * @param polls            how many polls asked for it
 * @param downloads        how many times its image was requested
 * @param dialect          which dialect it was submitted through, e.g. {@code bfl}
 * @param streams          how many status streams were opened for it (fal's {@code status/stream})
 * @param resultFetches    how many times its result document was requested (fal's {@code response_url})
 */
public record TaskReport(
        String taskId,
        String model,
        TaskState state,
        Instant submittedAt,
        Instant endedAt,
        Instant firstSeenEndedAt,
        int polls,
        int downloads,
        String dialect,
        int streams,
        int resultFetches) {

    /**
     * Every API request made for this task: its submit, status requests, status streams and result fetches (not the
     * image downloads, which go to the image host, nor submits refused before the task existed).
     */
    public int requests() {
        return 1 + polls + streams + resultFetches;
    }

    /** Time from the end of the task to the first poll that saw it; {@code null} when not seen yet. */
    public Duration detectionLag() {
        return endedAt == null || firstSeenEndedAt == null ? null : Duration.between(endedAt, firstSeenEndedAt);
    }
}
