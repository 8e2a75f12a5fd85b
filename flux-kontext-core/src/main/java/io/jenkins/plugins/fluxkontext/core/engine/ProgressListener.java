package io.jenkins.plugins.fluxkontext.core.engine;

/**
 * Receives {@link ProgressEvent}s. Called from the engine's worker threads, possibly concurrently: implementations
 * must be thread-safe and quick.
 */
@FunctionalInterface
public interface ProgressListener {

    ProgressListener NONE = event -> { };

    void on(ProgressEvent event);
}
