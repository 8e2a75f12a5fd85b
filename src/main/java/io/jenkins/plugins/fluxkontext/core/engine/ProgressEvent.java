package io.jenkins.plugins.fluxkontext.core.engine;

import io.jenkins.plugins.fluxkontext.core.task.TaskHandle;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;
import io.jenkins.plugins.fluxkontext.core.task.WrittenImage;
import java.time.Duration;

/**
 * What the engine tells its caller while it works. A renderer turns these into log lines or a progress bar;
 * none of them carries the API key or a signed URL's query string.
 */
public sealed interface ProgressEvent {

    /** Which task of the request, from 1. */
    int index();

    /**
     * The provider accepted the task (and, from here on, may bill it). Delivered on the task's own thread before its
     * first status request, and only by {@link GenerationEngine#run} (a resume submits nothing): a listener that saves
     * {@code handle} before returning can always {@link GenerationEngine#resume} the task later.
     */
    record Submitted(int index, TaskHandle handle) implements ProgressEvent {}

    /** The provider's status string changed, e.g. {@code Pending} to {@code Ready}. */
    record StatusChanged(int index, String taskId, String status) implements ProgressEvent {}

    /** The provider reported progress, 0 to 100. */
    record Progress(int index, String taskId, int percent) implements ProgressEvent {}

    /** A call is retried after a transient failure; says why and after how long. */
    record Retrying(int index, String what, String reason, Duration after) implements ProgressEvent {}

    /** The task waits for one of the limited in-flight slots. */
    record WaitingForSlot(int index, int inUse, int limit) implements ProgressEvent {}

    /** An image is on disk. */
    record Downloaded(int index, WrittenImage image) implements ProgressEvent {}

    /**
     * An image an earlier run made is on disk instead of a new one (its {@link WrittenImage#reusedFrom()} says where
     * it came from); the task sends nothing.
     */
    record Reused(int index, WrittenImage image) implements ProgressEvent {}

    /** The task ended; the outcome says how. */
    record Finished(int index, TaskOutcome outcome) implements ProgressEvent {}
}
