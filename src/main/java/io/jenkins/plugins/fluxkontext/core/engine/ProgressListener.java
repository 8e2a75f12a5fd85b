package io.jenkins.plugins.fluxkontext.core.engine;

/**
 * Receives {@link ProgressEvent}s. Called from the engine's worker threads, possibly concurrently: implementations
 * must be thread-safe and quick. The engine waits for {@link #on} to return; for {@link ProgressEvent.Submitted} that
 * is the place to save the task's handle durably (see {@link GenerationEngine#resume}). An exception thrown here is
 * ignored: a broken display must not break a paid task.
 */
@FunctionalInterface
public interface ProgressListener {

    ProgressListener NONE = event -> {};

    void on(ProgressEvent event);
}
