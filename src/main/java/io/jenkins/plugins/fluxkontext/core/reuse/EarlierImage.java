package io.jenkins.plugins.fluxkontext.core.reuse;

import java.nio.file.Path;
import java.util.Objects;

/**
 * An image an earlier run made, as a {@link ReuseSource} offers it.
 *
 * @param file   a copy of it on this machine
 * @param sha256 its digest as recorded when it was made; a copy that no longer has it is not used
 * @param from   where it came from, for the log, the sidecar and the build page (e.g. {@code build #4})
 * @param taskId    the provider task that made it, when known
 * @param simulated the provider simulator drew it (a placeholder, never billed): its copies say so too
 */
public record EarlierImage(Path file, String sha256, String from, String taskId, boolean simulated) {

    public EarlierImage {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(from, "from");
    }
}
