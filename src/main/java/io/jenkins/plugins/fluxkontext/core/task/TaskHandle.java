package io.jenkins.plugins.fluxkontext.core.task;

import java.io.Serializable;
import java.time.Instant;

/**
 * Everything needed to find a submitted task again: after a poll failure, on another thread, or after a
 * Jenkins controller restart. Holds no secret, so it may be stored with the build.
 *
 * @param provider    the dialect id, e.g. {@code bfl}
 * @param taskId      the provider's id for the task
 * @param pollingUrl  where to ask for its status (BFL's {@code polling_url}, fal's {@code status_url}); may be null
 *                    when the dialect derives it from the id
 * @param resultUrl   where the result is fetched when it differs from the polling URL (fal's {@code response_url});
 *                    may be null
 * @param cancelUrl   where to cancel it, for providers that can; may be null
 * @param index       which task of the request this is, from 1
 * @param imageCount  how many images this task makes (1 for BFL; fal can batch up to 4)
 * @param submittedAt when the submit that created it was sent (the provider's clock starts a little later)
 */
public record TaskHandle(
        String provider,
        String taskId,
        String pollingUrl,
        String resultUrl,
        String cancelUrl,
        int index,
        int imageCount,
        Instant submittedAt)
        implements Serializable {

    /** A handle for a one-image task that is polled at {@code pollingUrl}. */
    public static TaskHandle of(String provider, String taskId, String pollingUrl, int index, Instant submittedAt) {
        return new TaskHandle(provider, taskId, pollingUrl, null, null, index, 1, submittedAt);
    }
}
