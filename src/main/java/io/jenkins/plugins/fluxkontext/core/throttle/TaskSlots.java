package io.jenkins.plugins.fluxkontext.core.throttle;

/**
 * A source of in-flight slots for one provider and key, for an engine that takes one slot per task: it acquires a
 * slot just before it submits a task and closes it once the task has ended. Holding one slot per running task, and
 * never waiting for a second slot on behalf of the same task, is what keeps two requests that each hold some slots
 * from waiting on each other forever: every held slot belongs to a task that finishes on its own.
 */
@FunctionalInterface
public interface TaskSlots {

    /** No limit: every acquire returns at once. */
    TaskSlots UNLIMITED = whileWaiting -> SlotLease.NONE;

    /**
     * One slot, waiting in arrival order while none is free.
     *
     * @param whileWaiting told once if the caller has to wait
     * @throws InterruptedException when the waiting thread is interrupted (a Jenkins abort); it then holds nothing
     */
    SlotLease acquire(SlotWaitListener whileWaiting) throws InterruptedException;
}
