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
        Cost cost)
        implements Serializable {}
