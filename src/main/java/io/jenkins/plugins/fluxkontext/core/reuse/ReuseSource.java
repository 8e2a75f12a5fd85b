package io.jenkins.plugins.fluxkontext.core.reuse;

import java.io.IOException;
import java.util.Optional;

/**
 * Where the engine looks for an image that an earlier run already made, before it pays for one: by the fingerprint of
 * the image's recipe. Each face has its own: the command line a cache folder ({@code --reuse-dir}), a Jenkins step the
 * earlier builds of its job. The engine checks what it is given against the recorded SHA-256 before using it, so a
 * source only has to find candidates.
 */
@FunctionalInterface
public interface ReuseSource {

    /** Never finds anything: every image is made. */
    ReuseSource NONE = fingerprint -> Optional.empty();

    /**
     * The image an earlier run made with exactly {@code fingerprint}, or empty.
     *
     * @throws IOException when the source cannot be read; the image is then made
     */
    Optional<EarlierImage> find(String fingerprint) throws IOException;
}
