package io.jenkins.plugins.fluxkontext.core.output;

import io.jenkins.plugins.fluxkontext.core.engine.TaskOutcome;
import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes one request's images into its output folder: names from the plan's pattern, bytes streamed to a temporary
 * file beside the target, checked (format by magic bytes, size cap), then moved into place atomically. Each image
 * gets a provenance sidecar; the request gets a manifest. An existing file is never replaced silently.
 * Thread-safe: tasks of one request write concurrently.
 */
public final class OutputWriter {

    public OutputWriter(OutputPlan plan, GenerationRequest request, String providerId) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * Creates the folder and checks, before anything is paid for, that the pattern makes safe names and that no
     * planned name is taken (with {@link ExistingFilePolicy#FAIL}).
     *
     * @throws io.jenkins.plugins.fluxkontext.core.model.InvalidRequestException naming the field and the file
     */
    public void checkBeforeSubmit() throws IOException {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * Streams {@code body} into the image's file and writes its sidecar. On any failure (a broken stream, bytes
     * that are not the requested format, a body over the cap, an interrupt) nothing is left on disk.
     *
     * @throws ImageRejectedException when the bytes are not the promised image
     * @throws IOException            when reading the body or writing the file fails
     */
    public WrittenImage write(ImageProvenance provenance, InputStream body) throws IOException {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Writes the manifest listing every task and image of the request; {@code null} when sidecars are off. */
    public Path writeManifest(List<TaskOutcome> outcomes) throws IOException {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
