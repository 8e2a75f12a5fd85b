package io.jenkins.plugins.fluxkontext.core.output;

import io.jenkins.plugins.fluxkontext.core.task.Cost;
import java.time.Instant;

/**
 * What the engine knows about an image it is about to write; goes into the image's sidecar.
 *
 * @param imageIndex  which image of the request, from 1 (decides {@code {index}} in the file name)
 * @param provider    dialect id, e.g. {@code bfl}
 * @param taskId      the provider's task id
 * @param seed        the seed the provider reports having used, or {@code null}
 * @param cost        what the provider reports charging for this image, or {@code null}
 * @param submittedAt when the provider accepted the task
 * @param readyAt     when we saw it succeed
 * @param source      where the bytes came from, with any query string cut off
 */
public record ImageProvenance(
        int imageIndex,
        String provider,
        String taskId,
        Long seed,
        Cost cost,
        Instant submittedAt,
        Instant readyAt,
        String source) {}
