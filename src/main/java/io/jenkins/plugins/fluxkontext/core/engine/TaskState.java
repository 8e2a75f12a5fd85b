package io.jenkins.plugins.fluxkontext.core.engine;

import io.jenkins.plugins.fluxkontext.core.task.TaskHandle;

/**
 * What an abort needs to know about a task that has not finished. Written by the task's worker, read by the thread
 * that settles an abort.
 */
final class TaskState {
    /** The submit has left (or may have) and its answer is not in yet. */
    volatile boolean submitInFlight;
    /** The provider's task, once it accepted it (or, on resume, once it is taken up). */
    volatile TaskHandle handle;
    /** The provider reported the task's end: nothing is left to cancel there. */
    volatile boolean endedAtProvider;
}
