package io.jenkins.plugins.fluxkontext.core.task;

import io.jenkins.plugins.fluxkontext.core.model.ImageType;
import java.io.Serializable;
import java.nio.file.Path;

/**
 * An image on disk, checked and complete, with its provenance sidecar beside it.
 *
 * @param imageIndex which image of the request, from 1
 * @param file       the image file
 * @param sidecar    its provenance JSON; {@code null} when sidecars are switched off
 * @param type       the format its bytes are in
 * @param width      pixels, read from the file header
 * @param height     pixels, read from the file header
 * @param bytes      file size
 * @param sha256     hex digest of the file
 * @param taskId     the provider task that made it
 * @param seed       the seed the provider reports, or the one requested, or {@code null}
 * @param cost       what the provider charged for it, when known
 * @param aspectRatio its format, {@code W:H}, or {@code null} when the provider chose
 * @param fingerprint the fingerprint of the recipe that made it; {@code null} when it cannot be made again (random
 *                    seed, an input given by URL)
 * @param reusedFrom where an earlier copy of it came from (e.g. {@code build #4}); {@code null} when it was made now
 */
public record WrittenImage(
        int imageIndex,
        Path file,
        Path sidecar,
        ImageType type,
        int width,
        int height,
        long bytes,
        String sha256,
        String taskId,
        Long seed,
        Cost cost,
        String aspectRatio,
        String fingerprint,
        String reusedFrom)
        implements Serializable {

    /** An image made now, whose format and fingerprint are not known (the provider chose; no recipe). */
    public WrittenImage(
            int imageIndex,
            Path file,
            Path sidecar,
            ImageType type,
            int width,
            int height,
            long bytes,
            String sha256,
            String taskId,
            Long seed,
            Cost cost) {
        this(imageIndex, file, sidecar, type, width, height, bytes, sha256, taskId, seed, cost, null, null, null);
    }

    /** Whether it is a copy of an image an earlier run made, rather than made now. */
    public boolean reused() {
        return reusedFrom != null;
    }
}
