package io.jenkins.plugins.fluxkontext.generation;

import io.jenkins.plugins.fluxkontext.agent.SavedTask;
import io.jenkins.plugins.fluxkontext.core.engine.ResumePoint;
import io.jenkins.plugins.fluxkontext.parameters.StepSettings;
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
public final class StepCheckpoint implements Serializable {

    private static final long serialVersionUID = 1L;

    private final StepSettings settings;
    private final String jobKey;
    /** 0 until the agent job is sent; from then on a task may exist at the provider. */
    private volatile long startedAtMillis;

    private volatile ArrayList<SavedTask> tasks = new ArrayList<>();

    public StepCheckpoint(StepSettings settings) {
        this.settings = settings;
        this.jobKey = UUID.randomUUID().toString();
    }

    public StepSettings settings() {
        return settings;
    }

    /** Names this step's job on the agent, so a resumed job can wait for an earlier one still running there. */
    public String jobKey() {
        return jobKey;
    }

    /** Marks the agent job as sent at {@code now}: from here on the step never starts afresh, it resumes. */
    public void agentJobSent(Instant now) {
        startedAtMillis = now.toEpochMilli();
    }

    /** The agent job was not sent after all (the save before it failed): a restart starts the step afresh. */
    public void agentJobNotSent() {
        startedAtMillis = 0;
    }

    public boolean isAgentJobSent() {
        return startedAtMillis != 0;
    }

    /** When the agent job was sent, or {@code null} before. */
    public Instant startedAt() {
        return startedAtMillis == 0 ? null : Instant.ofEpochMilli(startedAtMillis);
    }

    /** The step's deadline: its timeout from when the agent job was sent; {@code null} before. */
    public Instant deadline() {
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
    public List<SavedTask> tasks() {
        return List.copyOf(tasks);
    }

    /** The saved task with this index, or {@code null}. */
    SavedTask task(int index) {
        return tasks.stream().filter(t -> t.index() == index).findFirst().orElse(null);
    }

    /** Ids of the saved tasks, in task order, for log lines. */
    public List<String> taskIds() {
        return tasks.stream()
                .sorted((a, b) -> Integer.compare(a.index(), b.index()))
                .map(SavedTask::taskId)
                .toList();
    }

    /** For log lines: {@code 2 tasks are saved at bfl (task ids a, b)}. */
    public String describeSaved(String provider) {
        List<String> ids = taskIds();
        if (ids.isEmpty()) {
            return "no task id was saved at " + provider;
        }
        return ids.size() + (ids.size() == 1 ? " task is" : " tasks are") + " saved at " + provider + " (task id"
                + (ids.size() == 1 ? " " : "s ") + String.join(", ", ids) + ")";
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
