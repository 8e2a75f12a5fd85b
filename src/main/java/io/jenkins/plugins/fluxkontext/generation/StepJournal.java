package io.jenkins.plugins.fluxkontext.generation;

import io.jenkins.plugins.fluxkontext.agent.GenerationReport;
import io.jenkins.plugins.fluxkontext.agent.SavedTask;
import io.jenkins.plugins.fluxkontext.agent.TaskJournal;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The controller's side of {@link TaskJournal} for one step call: checks what the agent offers against this step,
 * adds accepted tasks to the step's {@link StepCheckpoint} and has it saved before returning, and keeps what an abort
 * left behind for the controller to log. When saving fails the task is still kept in memory (for an abort or a lost
 * agent) and the agent is told, so that the log says the task would not survive a restart.
 *
 * <p>A Pipeline step saves with {@code StepContext.saveState()}; a freestyle build step keeps the tasks in memory only
 * (a freestyle build does not survive a restart), for the abort and lost-agent messages.
 */
public final class StepJournal implements TaskJournal {

    /** Makes the checkpoint durable; returns when it is. */
    @FunctionalInterface
    public interface Saver {
        void save() throws Exception;
    }

    /** What the agent reported when its job was aborted. */
    record AbortReport(GenerationReport report, String summary) {}

    /** Longest abort summary kept from an agent. */
    static final int MAX_SUMMARY_LENGTH = 20_000;

    private final String provider;
    private final int taskCount;
    private final StepCheckpoint checkpoint;
    private final Saver saver;
    private final Set<Integer> ended = new TreeSet<>();
    private final CountDownLatch abortArrived = new CountDownLatch(1);
    private volatile AbortReport abort;
    private volatile boolean closed;

    /**
     * @param provider   the step's provider id: the only one its tasks may have
     * @param taskCount  how many tasks the step's request has
     * @param checkpoint where accepted tasks go
     * @param saver      makes {@code checkpoint} durable
     */
    public StepJournal(String provider, int taskCount, StepCheckpoint checkpoint, Saver saver) {
        this.provider = provider;
        this.taskCount = taskCount;
        this.checkpoint = checkpoint;
        this.saver = saver;
    }

    @Override
    public void accepted(SavedTask task) {
        if (closed) {
            throw new IllegalStateException("This step has ended; it takes no more tasks");
        }
        if (task == null) {
            throw new IllegalArgumentException("No task");
        }
        String problem = task.problem(provider, taskCount);
        if (problem != null) {
            throw new IllegalArgumentException("Refused " + task + " for this step: " + problem);
        }
        synchronized (this) {
            SavedTask earlier = checkpoint.task(task.index());
            if (earlier != null && !earlier.equals(task)) {
                throw new IllegalArgumentException("Refused " + task + " for this step: task " + task.index()
                        + " was already accepted with id " + earlier.taskId());
            }
            checkpoint.add(task);
        }
        try {
            saver.save();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Kept " + task + " in memory only: interrupted while saving the build");
        } catch (Exception e) {
            // The agent logs this: the task goes on, but would not be found again after a restart.
            throw new IllegalStateException(
                    "Kept " + task + " in memory only: saving the build failed (" + e.getMessage() + ")");
        }
    }

    @Override
    public synchronized void ended(int index) {
        if (index >= 1 && index <= taskCount) {
            ended.add(index);
        }
    }

    @Override
    public void aborted(GenerationReport report, String summary) {
        if (abort != null || report == null || report.tasks().size() > taskCount) {
            return;
        }
        String kept = summary == null || summary.length() <= MAX_SUMMARY_LENGTH
                ? summary
                : summary.substring(0, MAX_SUMMARY_LENGTH) + "…";
        abort = new AbortReport(report, kept);
        abortArrived.countDown();
    }

    /**
     * Waits up to {@code timeout} for the agent's abort report (the agent sends it after its cancel calls, which the
     * engine bounds to a few seconds); {@code null} when none came.
     */
    AbortReport awaitAbortReport(long timeout, TimeUnit unit) throws InterruptedException {
        return abortArrived.await(timeout, unit) ? abort : null;
    }

    /** The step has ended: nothing more is accepted from the agent. */
    public void close() {
        closed = true;
    }

    public int taskCount() {
        return taskCount;
    }

    /** Tasks accepted so far. */
    int acceptedCount() {
        return checkpoint.tasks().size();
    }

    /** Accepted tasks that have not ended yet: the ones being polled or downloaded. */
    public synchronized int openCount() {
        return (int) checkpoint.tasks().stream()
                .filter(t -> !ended.contains(t.index()))
                .count();
    }

    /**
     * Whether some task has neither a saved handle nor an ending: its submit may still be on its way or to come, so a
     * restart now could leave a task at the provider that the step cannot find again.
     */
    public synchronized boolean submitsMayBeOpen() {
        for (int i = 1; i <= taskCount; i++) {
            if (!ended.contains(i) && checkpoint.task(i) == null) {
                return true;
            }
        }
        return false;
    }
}
