package io.jenkins.plugins.fluxkontext.core.engine;

import io.jenkins.plugins.fluxkontext.core.task.TaskHandle;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What {@link GenerationEngine#resume} needs to take up a job whose run was cut short (a controller restart, an agent
 * that went away, an abort): the handles of the tasks the provider accepted, and when the job first started. Holds no
 * secret, so it may be stored with the build.
 *
 * @param handles   the tasks the provider accepted, any order, at most one per task index; every other task of the
 *                  request counts as not submitted (see {@code neverSent})
 * @param startedAt when the original run started; the resumed job's deadline counts from here. {@code null} gives the
 *                  resumed job the engine's whole timeout, counted from the resume
 * @param neverSent indexes of tasks known never to have created anything (the interrupted run reported them
 *                  {@link TaskOutcome.NotSubmitted} or {@link TaskOutcome.Rejected}). A task with neither a handle
 *                  nor a place here may have been on its way when the run was cut short, and is reported as
 *                  {@link TaskOutcome.SubmitAmbiguous}
 */
public record ResumePoint(List<TaskHandle> handles, Instant startedAt, Set<Integer> neverSent) implements Serializable {

    private static final long serialVersionUID = 1L;

    public ResumePoint {
        handles = List.copyOf(handles);
        neverSent = Set.copyOf(neverSent);
    }

    /**
     * Checks that the handles belong to a request of {@code tasks} tasks at {@code provider}.
     *
     * @throws IllegalArgumentException when a handle is for another provider, an index outside the request, or the
     *                                  same index twice
     */
    void checkFits(String provider, int tasks) {
        Set<Integer> seen = new HashSet<>();
        for (TaskHandle handle : handles) {
            if (!provider.equals(handle.provider())) {
                throw new IllegalArgumentException("task " + handle.taskId() + " belongs to provider "
                        + handle.provider() + ", not " + provider + "; resume it with its own endpoint");
            }
            if (handle.index() < 1 || handle.index() > tasks || !seen.add(handle.index())) {
                throw new IllegalArgumentException("task " + handle.taskId() + " has index " + handle.index()
                        + ", which is outside the request's " + tasks + " task(s) or given twice");
            }
        }
    }

    /** The handles a caller saved from {@link ProgressEvent.Submitted} events, and when the run started. */
    public static ResumePoint of(List<TaskHandle> handles, Instant startedAt) {
        return new ResumePoint(handles, startedAt, Set.of());
    }

    /**
     * Everything an interrupted run's result says: the handles of all tasks it created (finished ones included; their
     * images are taken from disk when their sidecars prove them, else fetched again), and the tasks it never sent.
     */
    public static ResumePoint after(GenerationResult interrupted, Instant startedAt) {
        Set<Integer> unsent = new TreeSet<>();
        List<TaskHandle> handles = new ArrayList<>();
        for (TaskOutcome outcome : interrupted.outcomes()) {
            if (outcome.handle() != null) {
                handles.add(outcome.handle());
            } else if (outcome instanceof TaskOutcome.NotSubmitted || outcome instanceof TaskOutcome.Rejected) {
                unsent.add(outcome.index());
            }
        }
        return new ResumePoint(handles, startedAt, unsent);
    }
}
