package io.jenkins.plugins.fluxkontext;

import io.jenkins.plugins.fluxkontext.core.engine.ResumePoint;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * What a Pipeline step keeps with the Pipeline program, so that it can be taken up after a controller restart or
 * when its agent comes back: the step's settings (plain values; the credential's id, never the key, which is looked
 * up again), an id for its agent job, when the agent job was sent (the step's deadline counts from there), and the
 * handle of every task the provider accepted, added as each is accepted.
 *
 * <p>Written by the step's own thread and by the agent channel's threads, read when the program is saved: the task
 * list is replaced, never changed in place, so a save always sees a whole list.
 */
final class StepCheckpoint implements Serializable {

    private static final long serialVersionUID = 1L;

    private final StepSettings settings;
    private final String jobKey;
    /** 0 until the agent job is sent; from then on a task may exist at the provider. */
    private volatile long startedAtMillis;

    private volatile ArrayList<SavedTask> tasks = new ArrayList<>();

    StepCheckpoint(StepSettings settings) {
        this.settings = settings;
        this.jobKey = UUID.randomUUID().toString();
    }

    StepSettings settings() {
        return settings;
    }

    /** Names this step's job on the agent, so a resumed job can wait for an earlier one still running there. */
    String jobKey() {
        return jobKey;
    }

    /** Marks the agent job as sent at {@code now}: from here on the step never starts afresh, it resumes. */
    void agentJobSent(Instant now) {
        startedAtMillis = now.toEpochMilli();
    }

    boolean isAgentJobSent() {
        return startedAtMillis != 0;
    }

    /** When the agent job was sent, or {@code null} before. */
    Instant startedAt() {
        return startedAtMillis == 0 ? null : Instant.ofEpochMilli(startedAtMillis);
    }

    /** The step's deadline: its timeout from when the agent job was sent; {@code null} before. */
    Instant deadline() {
        Instant started = startedAt();
        return started == null ? null : started.plus(settings.timeout());
    }

    /** Adds an accepted task; a second call for the same task changes nothing. */
    synchronized void add(SavedTask task) {
        if (tasks.contains(task)) {
            return;
        }
        ArrayList<SavedTask> next = new ArrayList<>(tasks);
        next.add(task);
        tasks = next;
    }

    /** The tasks saved so far, in the order they were accepted. */
    List<SavedTask> tasks() {
        return List.copyOf(tasks);
    }

    /** The saved task with this index, or {@code null}. */
    SavedTask task(int index) {
        return tasks.stream().filter(t -> t.index() == index).findFirst().orElse(null);
    }

    /** Ids of the saved tasks, in task order, for log lines. */
    List<String> taskIds() {
        return tasks.stream()
                .sorted((a, b) -> Integer.compare(a.index(), b.index()))
                .map(SavedTask::taskId)
                .toList();
    }

    /** Task indexes of a {@code taskCount}-task request that have no saved handle. */
    Set<Integer> withoutHandle(int taskCount) {
        Set<Integer> missing = new TreeSet<>();
        for (int i = 1; i <= taskCount; i++) {
            if (task(i) == null) {
                missing.add(i);
            }
        }
        return missing;
    }

    /** What {@code GenerationEngine.resume} needs: the saved handles and the original start. */
    ResumePoint resumePoint() {
        return SavedTask.resumePoint(tasks, startedAtMillis);
    }
}
