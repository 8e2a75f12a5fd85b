package io.jenkins.plugins.fluxkontext.agent;

import hudson.AbortException;
import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import hudson.util.Secret;
import io.jenkins.plugins.fluxkontext.core.provider.ApiKey;
import io.jenkins.plugins.fluxkontext.core.proxy.ProxySettings;
import io.jenkins.plugins.fluxkontext.parameters.StepSettings;
import java.io.File;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import jenkins.MasterToSlaveFileCallable;

/**
 * The agent side of every step: the whole HTTP conversation and the files, in {@link AgentJob}. Runs in the agent JVM
 * with the workspace as {@code invoke}'s file, so input paths resolve there and images land there, and returns plain
 * values only.
 *
 * <p>Two kinds of job: a fresh one runs the request ({@code GenerationEngine.run}); a resumed one
 * ({@link #resume}) polls the tasks the step saved and never submits ({@code GenerationEngine.resume}). Either way,
 * each task the provider accepts is handed to the step's {@link TaskJournal} before the task is polled for the first
 * time, and the journal returns only once the task is saved with the build.
 *
 * <p>An abort interrupts the controller thread waiting in {@code FilePath.act}; remoting forwards that as an
 * interrupt of this thread, the engine cancels its calls (and the remote tasks where the provider has a cancel call),
 * no partial file is left, and this job tells the journal what became of each task before it ends.
 */
public final class GenerateImagesCallable extends MasterToSlaveFileCallable<GenerationReport> {

    private static final long serialVersionUID = 3L;

    private final StepSettings settings;
    /** Travels over the agent channel only; never printed, never in the returned report. */
    private final Secret apiKey;
    /**
     * The controller's HTTP proxy, read for this job; {@code null}: the agent's own JVM and environment settings.
     * Its password travels like the key: over the agent channel only, never printed, never saved with the build.
     */
    private final ProxySettings proxy;

    private final TaskListener listener;
    /** The controller's journal, exported over the channel; on the built-in node, the journal itself. */
    private final TaskJournal journal;

    private final String jobKey;
    /** The tasks to take up, or {@code null} for a fresh run. */
    private final ArrayList<SavedTask> resumeTasks;
    /** When the agent job was first sent; the deadline of a resumed job counts from here. */
    private final long startedAtMillis;

    private GenerateImagesCallable(
            StepSettings settings,
            Secret apiKey,
            ProxySettings proxy,
            TaskListener listener,
            TaskJournal journal,
            String jobKey,
            ArrayList<SavedTask> resumeTasks,
            long startedAtMillis) {
        this.settings = settings;
        this.apiKey = apiKey;
        this.proxy = proxy;
        this.listener = listener;
        this.journal = journal;
        this.jobKey = jobKey;
        this.resumeTasks = resumeTasks;
        this.startedAtMillis = startedAtMillis;
    }

    /** Runs the request: submits its tasks, polls them, writes the images. */
    public static GenerateImagesCallable fresh(
            StepSettings settings,
            Secret apiKey,
            ProxySettings proxy,
            TaskListener listener,
            TaskJournal journal,
            String jobKey) {
        return new GenerateImagesCallable(settings, apiKey, proxy, listener, journal, jobKey, null, 0);
    }

    /** Takes up {@code tasks} of the request, accepted by the provider earlier; submits nothing. */
    public static GenerateImagesCallable resume(
            StepSettings settings,
            Secret apiKey,
            ProxySettings proxy,
            TaskListener listener,
            TaskJournal journal,
            String jobKey,
            List<SavedTask> tasks,
            Instant startedAt) {
        return new GenerateImagesCallable(
                settings,
                apiKey,
                proxy,
                listener,
                journal,
                jobKey,
                new ArrayList<>(tasks),
                startedAt == null ? 0 : startedAt.toEpochMilli());
    }

    boolean isResume() {
        return resumeTasks != null;
    }

    @Override
    public GenerationReport invoke(File workspaceDir, VirtualChannel channel) throws IOException, InterruptedException {
        AgentJob job = new AgentJob(
                        settings, ApiKey.of(apiKey.getPlainText()), journal, jobKey, resumeTasks, startedAtMillis)
                .through(proxy);
        try {
            return job.run(workspaceDir.toPath().toAbsolutePath(), listener.getLogger());
        } catch (AgentJob.RefusedBeforeSubmit e) {
            throw new NothingSubmittedException(e.getMessage());
        }
    }

    /** The request was refused on the agent before any task was submitted, so nothing can have been billed. */
    public static final class NothingSubmittedException extends AbortException {

        private static final long serialVersionUID = 1L;

        NothingSubmittedException(String message) {
            super(message);
        }
    }
}
