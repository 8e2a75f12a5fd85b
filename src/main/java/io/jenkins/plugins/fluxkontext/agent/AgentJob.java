package io.jenkins.plugins.fluxkontext.agent;

import hudson.AbortException;
import io.jenkins.plugins.fluxkontext.core.budget.CostEstimate;
import io.jenkins.plugins.fluxkontext.core.engine.GenerationAbortedException;
import io.jenkins.plugins.fluxkontext.core.engine.GenerationEngine;
import io.jenkins.plugins.fluxkontext.core.engine.GenerationJob;
import io.jenkins.plugins.fluxkontext.core.engine.GenerationResult;
import io.jenkins.plugins.fluxkontext.core.engine.ProgressEvent;
import io.jenkins.plugins.fluxkontext.core.engine.ProgressListener;
import io.jenkins.plugins.fluxkontext.core.engine.TaskDurations;
import io.jenkins.plugins.fluxkontext.core.engine.TaskPlan;
import io.jenkins.plugins.fluxkontext.core.log.ProgressLog;
import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
import io.jenkins.plugins.fluxkontext.core.model.InvalidRequestException;
import io.jenkins.plugins.fluxkontext.core.provider.ApiKey;
import io.jenkins.plugins.fluxkontext.core.proxy.ProxySettings;
import io.jenkins.plugins.fluxkontext.core.reuse.ReuseFolder;
import io.jenkins.plugins.fluxkontext.core.reuse.ReuseSource;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;
import io.jenkins.plugins.fluxkontext.parameters.StepSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * What {@link GenerateImagesCallable} does on the agent, in plain Java (no Jenkins type but {@link AbortException}):
 * builds the engine (a plain OkHttp client; {@code Jenkins.get()} does not exist on an agent), runs the request or
 * resumes its saved tasks, tells the {@link TaskJournal} about each accepted task before its first poll and about an
 * abort, and copies the result into a {@link GenerationReport}.
 */
public final class AgentJob {

    /** Jobs running in this JVM, by their step's job key: a resumed job waits for an earlier one to end. */
    private static final Map<String, Thread> RUNNING = new ConcurrentHashMap<>();

    private final StepSettings settings;
    private final ApiKey apiKey;
    private final TaskJournal journal;
    private final String jobKey;
    private final List<SavedTask> resumeTasks;
    private final long startedAtMillis;
    private ProxySettings proxy;

    /**
     * @param journal         where accepted tasks and an abort are reported; {@code null}: nowhere
     * @param jobKey          the step's job key
     * @param resumeTasks     the saved tasks to take up, or {@code null} for a fresh run
     * @param startedAtMillis when the step's agent job was first sent (a resume's deadline counts from there); 0:
     *                        unknown
     */
    public AgentJob(
            StepSettings settings,
            ApiKey apiKey,
            TaskJournal journal,
            String jobKey,
            List<SavedTask> resumeTasks,
            long startedAtMillis) {
        this.settings = settings;
        this.apiKey = apiKey;
        this.journal = journal;
        this.jobKey = jobKey;
        this.resumeTasks = resumeTasks;
        this.startedAtMillis = startedAtMillis;
    }

    /** The controller's HTTP proxy; {@code null} (the default): the agent's own JVM and environment settings. */
    public AgentJob through(ProxySettings proxy) {
        this.proxy = proxy;
        return this;
    }

    boolean isResume() {
        return resumeTasks != null;
    }

    /**
     * @param workspace absolute; input paths resolve here and images are written here
     * @param log       the build log
     */
    public GenerationReport run(Path workspace, PrintStream log) throws IOException, InterruptedException {
        // Earlier builds' images the controller put here for this step call; removed once the job is over, however it
        // ends: the copies used are in the output folder by then.
        Path earlier = settings.reuseFolder() == null ? null : workspace.resolve(settings.reuseFolder());
        try {
            return run(workspace, earlier, log);
        } finally {
            removeQuietly(earlier);
        }
    }

    private GenerationReport run(Path workspace, Path earlier, PrintStream log)
            throws IOException, InterruptedException {
        GenerationJob job;
        try {
            GenerationRequest request = settings.request(workspace);
            job = new GenerationJob(
                    request,
                    settings.endpoint(),
                    apiKey,
                    settings.outputPlan(workspace),
                    earlier == null ? ReuseSource.NONE : new ReuseFolder(earlier));
        } catch (InvalidRequestException e) {
            // Input images are only checked here, where they are: still before anything is sent.
            throw new RefusedBeforeSubmit(e.getMessage() + "; nothing was submitted");
        } catch (IllegalArgumentException e) {
            // An input that is no path or URL at all (a NUL in a path, a space in a URL) fails while it is read: also
            // before anything is sent, so the controller releases the reservation instead of charging it.
            throw new RefusedBeforeSubmit(ProgressLog.PREFIX + "The request could not be prepared on the agent ("
                    + e.getMessage() + "); nothing was submitted");
        }
        ProgressLog progress = new ProgressLog(
                log::println,
                TaskPlan.of(job.request(), job.endpoint().dialect()).size(),
                workspace);
        ProgressListener events = event -> {
            progress.on(event);
            tellJournal(event, log);
        };
        Instant started = Instant.now();
        GenerationEngine.Builder engineSettings = GenerationEngine.builder()
                .totalTimeout(settings.timeout())
                .readTimeout(settings.pollTimeout())
                // Past task durations place the polls of providers without progress: kept in the cache folder of the
                // user the agent runs as (~/.cache/flux-kontext), on this machine, across builds; in memory without
                // one.
                .taskDurations(TaskDurations.keptInOrMemory(TaskDurations.userCacheFolder(System.getenv())))
                .imageHostsBehindProxy(settings.imageHostsBehindProxy())
                .proxy(proxy);
        if (settings.tasksAtOnce() > 0) {
            // The controller's throttle granted this many slots of the provider's limit to this request.
            engineSettings.maxConcurrentTasks(settings.tasksAtOnce());
        }
        String provider = job.endpoint().dialect().id();
        String model = job.request().model().id();
        if (isResume()) {
            waitForEarlierRun(log);
        }
        GenerationEngine built;
        try {
            built = engineSettings.build();
        } catch (IllegalArgumentException e) {
            // A proxy variable of the agent's environment that cannot be used: said before anything is sent.
            throw new RefusedBeforeSubmit(ProgressLog.PREFIX + e.getMessage());
        }
        if (proxy != null || !built.proxyDescription().equals("no proxy")) {
            log.println(ProgressLog.PREFIX + "Calls go through "
                    + (proxy != null ? "the controller's HTTP proxy " + proxy : built.proxyDescription()));
        }
        RUNNING.put(jobKey, Thread.currentThread());
        try (GenerationEngine engine = built) {
            GenerationResult result = isResume()
                    ? engine.resume(job, SavedTask.resumePoint(resumeTasks, startedAtMillis), events)
                    : engine.run(job, events);
            progress.summary(result, Duration.between(started, Instant.now()));
            // Priced here because only here is the core result, with each task's billing and reported cost.
            CostEstimate estimate = new CostEstimate(
                    provider, job.request().model(), job.request().imageCount(), settings.pricePerImage());
            return GenerationReport.of(result, workspace, provider, model).withCharge(estimate.charge(result));
        } catch (GenerationAbortedException e) {
            reportAbort(e, workspace, provider, model, log);
            throw e;
        } catch (InvalidRequestException e) {
            if (!isResume()) {
                // The engine refuses before its first submit (a name taken, an output folder it cannot use).
                throw new RefusedBeforeSubmit(e.getMessage() + "; nothing was submitted");
            }
            throw new AbortException(e.getMessage());
        } finally {
            RUNNING.remove(jobKey, Thread.currentThread());
        }
    }

    /** Removes the folder of earlier builds' images and what is in it. */
    private static void removeQuietly(Path folder) {
        if (folder == null || !Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(folder);
        } catch (IOException e) {
            // Left behind in the workspace, never read again: each step call stages into a folder of its own.
        }
    }

    /**
     * The request was refused here on the agent before any task was submitted (an input image, the output folder, a
     * name taken, the agent's proxy settings), so nothing can have been billed and the step gives its reservation
     * back. A plain exception, so the agent job is tested without Jenkins; {@link GenerateImagesCallable} hands it to
     * the controller as its {@code AbortException}.
     */
    public static final class RefusedBeforeSubmit extends IOException {
        private static final long serialVersionUID = 1L;

        RefusedBeforeSubmit(String message) {
            super(message);
        }
    }

    /** Hands accepted tasks to the journal (which saves them before returning) and tells it when tasks end. */
    private void tellJournal(ProgressEvent event, PrintStream log) {
        if (journal == null) {
            return;
        }
        try {
            switch (event) {
                case ProgressEvent.Submitted s -> journal.accepted(SavedTask.of(s.handle()));
                case ProgressEvent.Finished f -> journal.ended(f.index());
                default -> {}
            }
        } catch (RuntimeException e) {
            if (event instanceof ProgressEvent.Submitted s) {
                // The task goes on; only a restart before it ends would lose it.
                log.println(ProgressLog.PREFIX + "Task " + s.handle().taskId() + " could not be saved with the build ("
                        + e.getMessage() + "); it is polled now, but a controller restart before it ends would not"
                        + " find it again.");
            }
        }
    }

    /**
     * Tells the controller what the abort left behind: it logs which tasks were cancelled at the provider and which
     * may still run and be billed, and lists them on the build page. When the controller cannot be told (the channel
     * is going), the same lines go to the log from here.
     */
    private void reportAbort(
            GenerationAbortedException e, Path workspace, String provider, String model, PrintStream log) {
        GenerationResult partial = e.result();
        boolean told = false;
        if (journal != null && partial != null) {
            // This thread was interrupted; the call to the controller must not be.
            boolean interrupted = Thread.interrupted();
            try {
                journal.aborted(GenerationReport.of(partial, workspace, provider, model), e.getMessage());
                told = true;
            } catch (RuntimeException notTold) {
                told = false;
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        if (!told) {
            if (partial != null) {
                for (TaskOutcome outcome : partial.failures()) {
                    log.println(ProgressLog.PREFIX + outcome.message());
                }
            }
            log.println(ProgressLog.PREFIX + e.getMessage());
        }
    }

    /**
     * After a lost connection the agent may still run the step's earlier job (remoting does not stop it): wait for it
     * to end, so the resumed job takes its images from disk instead of fetching them beside it. Bounded by the
     * step's deadline.
     */
    private void waitForEarlierRun(PrintStream log) throws InterruptedException {
        Thread earlier = RUNNING.get(jobKey);
        if (earlier == null || !earlier.isAlive() || earlier == Thread.currentThread()) {
            return;
        }
        log.println(
                ProgressLog.PREFIX + "The step's earlier job is still running on this agent; waiting for it to end");
        long deadline = (startedAtMillis == 0 ? System.currentTimeMillis() : startedAtMillis)
                + settings.timeout().toMillis();
        earlier.join(Math.max(1, deadline - System.currentTimeMillis() + 5_000));
    }
}
