package io.jenkins.plugins.fluxkontext.core.output;

import io.jenkins.plugins.fluxkontext.core.model.ImageRecipe;
import io.jenkins.plugins.fluxkontext.core.task.Cost;
import java.time.Instant;

/**
 * What the engine knows about an image it is about to write; goes into the image's sidecar.
 *
 * @param imageIndex  which image of the request, from 1, across its formats (decides {@code {format}} and
 *                    {@code {index}} in the file name)
 * @param provider    dialect id, e.g. {@code bfl}
 * @param taskId      the provider's task id (for a reused image, the task that made the earlier copy, when known)
 * @param seed        the seed the provider reports having used, or {@code null}
 * @param cost        what the provider reports charging for this image, or {@code null}
 * @param submittedAt when the provider accepted the task
 * @param readyAt     when we saw it succeed
 * @param source      where the bytes came from, with any query string cut off
 * @param recipe      everything that decided the image, for replay and its fingerprint; {@code null} when unknown
 * @param reusedFrom  for a copy of an image an earlier run made, where it came from (e.g. {@code build #4});
 *                    {@code null} for an image made now
 */
public record ImageProvenance(
        int imageIndex,
        String provider,
        String taskId,
        Long seed,
        Cost cost,
        Instant submittedAt,
        Instant readyAt,
        String source,
        ImageRecipe recipe,
        String reusedFrom) {

    /** An image made now, without a recipe. */
    public ImageProvenance(
            int imageIndex,
            String provider,
            String taskId,
            Long seed,
            Cost cost,
            Instant submittedAt,
            Instant readyAt,
            String source) {
        this(imageIndex, provider, taskId, seed, cost, submittedAt, readyAt, source, null, null);
    }
}
