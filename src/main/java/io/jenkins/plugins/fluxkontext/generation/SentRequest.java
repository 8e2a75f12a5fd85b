package io.jenkins.plugins.fluxkontext.generation;

import hudson.AbortException;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.fluxkontext.action.GalleryEntry;
import io.jenkins.plugins.fluxkontext.agent.GenerationReport;
import io.jenkins.plugins.fluxkontext.core.budget.Dollars;
import io.jenkins.plugins.fluxkontext.core.log.ProgressLog;
import io.jenkins.plugins.fluxkontext.parameters.StepSettings;
import io.jenkins.plugins.fluxkontext.spending.ControllerSpending;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jenkins.util.BuildListenerAdapter;

/**
 * A request whose agent job has been sent, and the ways it ends on the controller. From the moment the job is sent a
 * task may exist, and be billed, at the provider, so each ending accounts for every task: {@link #finish} with the
 * agent's report; {@link #aborted} when the job was interrupted and the agent says what it left behind;
 * {@link #abandoned} when the step ends without that word; {@link #agentJobFailed} when the job broke. The Pipeline
 * execution and the freestyle build steps end a request the same way through it.
 */
public final class SentRequest {

    /** How long an aborted job's agent gets to say what became of its tasks (its cancel calls take at most 3 s). */
    public static final long ABORT_REPORT_SECONDS = 8;

    private final Run<?, ?> run;
    private final TaskListener listener;
    private final StepSettings settings;
    private final PreparedRequest prepared;
    private final StepCheckpoint checkpoint;
    /** When the agent job was sent; {@code null} when a resumed step does not know. */
    private final Instant started;

    public SentRequest(
            Run<?, ?> run,
            TaskListener listener,
            StepSettings settings,
            PreparedRequest prepared,
            StepCheckpoint checkpoint,
            Instant started) {
        this.run = run;
        this.listener = listener;
        this.settings = settings;
        this.prepared = prepared;
        this.checkpoint = checkpoint;
        this.started = started;
    }

    public PreparedRequest prepared() {
        return prepared;
    }

    /** After the agent job: archive, the build page, what it cost, and the verdict. */
    public ImageGeneration.Outcome finish(FilePath workspace, Launcher launcher, GenerationReport report)
            throws IOException, InterruptedException {
        Duration took = took();
        PrintStream log = listener.getLogger();
        ControllerSpending spending = ControllerSpending.get();
        // Archive before judging: images that were made (and paid for) are kept even when another task failed.
        Map<String, String> artifacts = report.artifacts();
        boolean archived = settings.archive() && !artifacts.isEmpty();
        try {
            if (archived) {
                run.pickArtifactManager().archive(workspace, launcher, BuildListenerAdapter.wrap(listener), artifacts);
                log.println(ProgressLog.PREFIX + "Archived " + artifacts.size()
                        + (artifacts.size() == 1 ? " file" : " files") + " as build artifacts");
            }
            // On the build page before the reservation goes, so a parallel branch never sees less than was spent.
            prepared.action.add(GalleryEntry.of(settings.prompt(), settings.isEdit(), report, took, archived));
        } finally {
            BigDecimal charged =
                    report.charge() == null ? BigDecimal.ZERO : report.charge().amount();
            spending.settle(prepared.reservation, charged);
        }
        if (report.charge() != null) {
            log.println(ProgressLog.PREFIX + "Cost: " + report.charge().display() + "; this build has spent "
                    + Dollars.format(prepared.action.spentUsd()) + ", this job "
                    + Dollars.format(spending.spentByJob(prepared.scope.job())));
        }
        return new ImageGeneration.Outcome(report, BuildVerdict.of(report, settings.onModeration()));
    }

    /**
     * The agent job was interrupted (abort, {@code timeout}): waits briefly for the agent to say what became of each
     * task, then logs it here on the controller, where the line cannot be lost with the channel: which tasks were
     * cancelled at the provider, and the ids of those that may still run and be billed. The build page lists every
     * task. The reservation is the caller's.
     */
    public void aborted(StepJournal journal) {
        PrintStream log = listener.getLogger();
        StepJournal.AbortReport report = null;
        try {
            report = journal.awaitAbortReport(ABORT_REPORT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            // Stopped again: say what we know.
            Thread.currentThread().interrupt();
        }
        if (report == null) {
            abandoned("the build was aborted and the agent did not say what became of the tasks");
            return;
        }
        for (String line : AbortLines.of(report.report(), report.summary())) {
            log.println(ProgressLog.PREFIX + line);
        }
        addToBuildPage(report.report());
    }

    /**
     * The step ends without word from the agent about its tasks (abort without a report, an agent that did not come
     * back, a freestyle build that lost its agent): logs every saved task id as possibly still running and billed,
     * and lists them on the build page. The reservation is the caller's.
     */
    public void abandoned(String why) {
        PrintStream log = listener.getLogger();
        GenerationReport report = GenerationReport.abandoned(
                prepared.provider, prepared.request.model().id(), prepared.taskCount, checkpoint.tasks(), why);
        for (String line : AbortLines.abandoned(report, why)) {
            log.println(ProgressLog.PREFIX + line);
        }
        addToBuildPage(report);
    }

    /**
     * The agent job ended with an exception of no expected kind (a remoting failure, a fault in the job): its tasks
     * may have been submitted, so it ends as a lost freestyle agent job does. Every saved task id is logged as possibly
     * billed, the build page lists them, and the whole estimate is charged, never left held against the limits.
     * Returns the failure the step ends with.
     */
    public AbortException agentJobFailed(RuntimeException e) {
        try {
            abandoned("the agent job failed (" + e + ")");
        } finally {
            prepared.reservation.close();
        }
        AbortException failed = new AbortException(ProgressLog.PREFIX + "The agent job failed: " + e);
        failed.initCause(e);
        return failed;
    }

    private void addToBuildPage(GenerationReport report) {
        try {
            prepared.action.add(GalleryEntry.of(settings.prompt(), settings.isEdit(), report, took(), false));
        } catch (IOException e) {
            listener.getLogger().println(ProgressLog.PREFIX + "The build page could not be saved: " + e.getMessage());
        }
    }

    private Duration took() {
        Instant now = Instant.now();
        return Duration.between(started == null ? now : started, now);
    }
}
