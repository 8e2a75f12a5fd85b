package io.jenkins.plugins.fluxkontext.steps;

import hudson.AbortException;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.fluxkontext.agent.GenerateImagesCallable;
import io.jenkins.plugins.fluxkontext.agent.GenerationReport;
import io.jenkins.plugins.fluxkontext.agent.SavedTask;
import io.jenkins.plugins.fluxkontext.core.log.ProgressLog;
import io.jenkins.plugins.fluxkontext.generation.BuildVerdict;
import io.jenkins.plugins.fluxkontext.generation.ImageGeneration;
import io.jenkins.plugins.fluxkontext.generation.PreparedRequest;
import io.jenkins.plugins.fluxkontext.generation.SentRequest;
import io.jenkins.plugins.fluxkontext.generation.StepCheckpoint;
import io.jenkins.plugins.fluxkontext.generation.StepJournal;
import io.jenkins.plugins.fluxkontext.parameters.StepSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.util.Timer;
import org.jenkinsci.plugins.workflow.actions.WarningAction;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/**
 * Runs either Pipeline step, and takes it up again after a controller restart or when its agent comes back.
 *
 * <p><b>State.</b> Everything a resume needs is in {@link #checkpoint}, the one field stored with the Pipeline
 * program: the step's settings (plain values, the credential's id and never the key), the agent job's key, when the
 * agent job was sent, and the handle of each task the provider accepted. Handles reach it from the agent through the
 * {@link StepJournal} this execution exports over the channel; the journal adds each one and saves the program
 * ({@code StepContext.saveState()}) before the agent's call returns, which the engine waits for before the task's
 * first status request.
 *
 * <p><b>Threads.</b> The work runs on a thread of the steps' own pool ({@link StepThreads}), never on the CPS VM
 * thread: {@code start()} returns {@code false} and the context is completed later. When Jenkins stops, the thread
 * ends without completing the step or touching the build: the saved program takes the step up in the next Jenkins.
 * {@code stop()} (the Stop button, an enclosing {@code timeout}) interrupts that thread; remoting carries the interrupt
 * to the agent job, where the engine cancels its calls and, where the provider has a cancel call, the remote tasks;
 * the agent then tells the journal what became of each task, and the step logs it here before it ends with the stop's
 * cause.
 *
 * <p><b>Resume.</b> {@code onResume()} starts the thread again. If the agent job had not been sent, nothing was
 * submitted and the step starts afresh. Otherwise it never submits: it waits for the agent (the workspace from the
 * context, until the step's deadline) and runs the agent job as a resume, which polls the saved tasks and downloads
 * their images ({@link AgentWait}); a lost agent during the first run leads to the same path without a restart.
 *
 * <p>One class although it is long: Pipeline saves it whole, and its thread, {@code stop()} and {@code getStatus()}
 * share its transient state; what a request does on the controller is in {@link ImageGeneration} and
 * {@link SentRequest}.
 */
final class FluxKontextStepExecution extends StepExecution {

    private static final long serialVersionUID = 2L;

    private static final Logger LOGGER = Logger.getLogger(FluxKontextStepExecution.class.getName());

    /** How long saving the Pipeline program may take before the step treats it as failed. */
    static final long SAVE_SECONDS = 60;
    /** After {@code stop()}, how long the step's thread gets to log what the abort left behind before the step ends. */
    static final long STOP_GRACE_SECONDS = SentRequest.ABORT_REPORT_SECONDS + 7;

    /** Stored with the Pipeline program; see the class comment. */
    private final StepCheckpoint checkpoint;

    private transient volatile Future<?> work;
    /** The pool of the Jenkins that runs this step now. */
    private transient volatile StepThreads threads;

    private transient volatile StepJournal journal;
    private transient volatile StepStatus.Phase phase;
    private transient volatile Instant waitingUntil;
    private transient volatile Throwable stopCause;
    private transient volatile boolean completed;

    FluxKontextStepExecution(StepContext context, StepSettings settings) {
        super(context);
        this.checkpoint = new StepCheckpoint(settings);
    }

    @Override
    public boolean start() {
        phase = StepStatus.Phase.PREPARING;
        StepThreads t = StepThreads.current();
        threads = t;
        work = t.submit(() -> runStep(false));
        return false;
    }

    /** After a controller restart: on the CPS VM thread, so it only hands the work to the step's own thread. */
    @Override
    public void onResume() {
        phase = resumingPhase();
        StepThreads t = StepThreads.current();
        threads = t;
        work = t.submit(() -> runStep(true));
    }

    /** A step read back with the Pipeline program reports where it will resume, not "not started", until it does. */
    private Object readResolve() {
        phase = resumingPhase();
        return this;
    }

    private StepStatus.Phase resumingPhase() {
        return checkpoint.isAgentJobSent() ? StepStatus.Phase.WAITING_FOR_AGENT : StepStatus.Phase.PREPARING;
    }

    /**
     * Interrupts the step's thread; the step ends with {@code cause} once it has logged which tasks were cancelled
     * and which may still be billed (a few seconds at most), or after {@link #STOP_GRACE_SECONDS} in any case.
     */
    @Override
    public void stop(Throwable cause) {
        stopCause = cause;
        Future<?> running = work;
        if (running == null || running.isDone()) {
            complete(null, cause);
            return;
        }
        running.cancel(true);
        Timer.get().schedule(() -> complete(null, cause), STOP_GRACE_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * Why a restart is held back only in one short window. {@code SynchronousNonBlockingStepExecution} blocks a safe
     * restart for as long as its step runs, because it cannot resume; this one can: every task the provider accepted is
     * in the checkpoint, saved with the program before the task is first polled, and after a restart the step polls
     * those tasks again without submitting anything. So polling and downloading (minutes, for image models) must not
     * hold a restart, or the step would take away what it exists for. What a restart can lose is a task whose submit
     * is on its way while its handle is not saved yet: the provider may create (and bill) it, and the step could not
     * find it again, only report it as unclear. That is the case while the first agent job runs and some task has
     * neither a saved handle nor an ending; before the agent job (nothing sent: the step starts afresh after a
     * restart) and in a resumed job (which never submits) nothing is lost. A hard restart cannot be held back at all;
     * the step then reports such tasks as possibly billed and never sends them again.
     */
    @Override
    public boolean blocksRestart() {
        StepJournal j = journal;
        return phase == StepStatus.Phase.RUNNING && j != null && j.submitsMayBeOpen();
    }

    /** E.g. {@code polling 3 tasks at bfl}. */
    @Override
    public String getStatus() {
        StepStatus.Phase p = phase;
        if (p == null) {
            return completed
                    ? Messages.FluxKontextStepExecution_Finished()
                    : Messages.FluxKontextStepExecution_NotStarted();
        }
        StepJournal j = journal;
        List<SavedTask> saved = checkpoint.tasks();
        int taskCount = j == null ? saved.size() : j.taskCount();
        int open = j == null ? saved.size() : j.openCount();
        return StepStatus.describe(p, providerId(), taskCount, saved.size(), open, waitingUntil);
    }

    private void runStep(boolean afterRestart) {
        try {
            Run<?, ?> run = required(Run.class);
            TaskListener listener = required(TaskListener.class);
            Object value = afterRestart && checkpoint.isAgentJobSent()
                    ? resumeAfterRestart(run, listener)
                    : fresh(run, listener, afterRestart);
            complete(value, null);
        } catch (Throwable t) {
            Throwable cause = stopCause;
            complete(null, cause != null ? cause : t);
        }
    }

    /** A request from the start: nothing was submitted before. */
    private Object fresh(Run<?, ?> run, TaskListener listener, boolean afterRestart) throws Exception {
        PrintStream log = listener.getLogger();
        if (afterRestart) {
            log.println(ProgressLog.PREFIX + "Taken up after a controller restart; nothing had been submitted, so the"
                    + " request starts now");
        }
        StepSettings settings = checkpoint.settings();
        phase = StepStatus.Phase.PREPARING;
        FilePath workspace = required(FilePath.class);
        ImageGeneration.readSidecar(workspace, listener, settings);
        PreparedRequest prepared = ImageGeneration.prepare(run, listener, settings, false);
        PipelineDurability.warnIfNotSavedOnRequest(getContext(), log);
        StepJournal j = new StepJournal(prepared.provider, prepared.taskCount, checkpoint, this::save);
        journal = j;
        Instant started = Instant.now();
        try {
            checkIfStopped();
            ImageGeneration.stageEarlierImages(run, workspace, listener, settings, checkpoint.jobKey());
            // Saved before the agent job is sent: from here on a restart takes this step up, it never starts it again.
            checkpoint.agentJobSent(started);
            save();
        } catch (Exception e) {
            // Not sent: if Jenkins is stopping, the program it saves next must start the step afresh.
            checkpoint.agentJobNotSent();
            prepared.reservation.release();
            prepared.releaseSlot();
            if (e instanceof InterruptedException || e instanceof RuntimeException || e instanceof IOException) {
                throw e;
            }
            throw new AbortException(ProgressLog.PREFIX + "The step's state could not be saved before submitting ("
                    + e.getMessage() + "); nothing was submitted. Without it a controller restart could submit the"
                    + " request again.");
        }
        SentRequest sent = new SentRequest(run, listener, settings, prepared, checkpoint, started);
        FilePath agentWorkspace = workspace;
        GenerationReport report;
        try {
            phase = StepStatus.Phase.RUNNING;
            report = threads.waitForAgent(() -> agentWorkspace.act(GenerateImagesCallable.fresh(
                    settings,
                    prepared.apiKey,
                    prepared.proxy,
                    listener,
                    ImageGeneration.export(agentWorkspace, j),
                    checkpoint.jobKey())));
        } catch (GenerateImagesCallable.NothingSubmittedException e) {
            prepared.reservation.release();
            throw e;
        } catch (InterruptedException e) {
            endIfJenkinsStops(e);
            phase = StepStatus.Phase.STOPPING;
            sent.aborted(j);
            prepared.reservation.close();
            throw e;
        } catch (AbortException e) {
            endIfJenkinsStops(e);
            prepared.reservation.close();
            throw e;
        } catch (IOException e) {
            endIfJenkinsStops(e);
            // The agent went away while its job ran: keep the tasks and take them up when it is back.
            prepared.releaseSlot();
            log.println(ProgressLog.PREFIX + "Lost the connection to the agent (" + e.getMessage() + "); "
                    + checkpoint.describeSaved(prepared.provider)
                    + ". The step takes them up again when the agent is back;"
                    + " nothing is submitted again.");
            report = resumeOnAgent(listener, sent, j);
        } catch (RuntimeException e) {
            endIfJenkinsStops(e);
            throw sent.agentJobFailed(e);
        } finally {
            prepared.releaseSlot();
        }
        endIfJenkinsStops();
        return judge(listener, sent, report);
    }

    /** After a controller restart, with the agent job sent before it: poll the saved tasks, submit nothing. */
    private Object resumeAfterRestart(Run<?, ?> run, TaskListener listener) throws Exception {
        PrintStream log = listener.getLogger();
        StepSettings settings = checkpoint.settings();
        log.println(ProgressLog.PREFIX + "Resuming after a controller restart: "
                + checkpoint.describeSaved(providerId()) + "; they are polled again and nothing is submitted again");
        PreparedRequest prepared;
        try {
            prepared = ImageGeneration.prepare(run, listener, settings, true);
        } catch (AbortException e) {
            throw new AbortException(
                    e.getMessage() + "\n" + ProgressLog.PREFIX + "The step could not take up its tasks; "
                            + checkpoint.describeSaved(providerId()) + " and may still run and be billed.");
        }
        StepJournal j = new StepJournal(prepared.provider, prepared.taskCount, checkpoint, this::save);
        journal = j;
        SentRequest sent = new SentRequest(run, listener, settings, prepared, checkpoint, checkpoint.startedAt());
        GenerationReport report = resumeOnAgent(listener, sent, j);
        endIfJenkinsStops();
        return judge(listener, sent, report);
    }

    /**
     * Runs the agent job as a resume as soon as the agent is reachable, until the step's deadline. A job cut off by
     * the channel again is simply run again: a resume submits nothing and takes images already written from disk.
     */
    private GenerationReport resumeOnAgent(TaskListener listener, SentRequest sent, StepJournal j)
            throws IOException, InterruptedException {
        PrintStream log = listener.getLogger();
        StepSettings settings = checkpoint.settings();
        PreparedRequest prepared = sent.prepared();
        AgentWait wait = new AgentWait(checkpoint.deadline());
        String problem = null;
        boolean agentJobRunning = false;
        try {
            while (true) {
                checkIfStopped();
                FilePath workspace = connectedWorkspace();
                if (workspace != null) {
                    phase = StepStatus.Phase.RESUMING;
                    agentJobRunning = true;
                    try {
                        return threads.waitForAgent(() -> workspace.act(GenerateImagesCallable.resume(
                                settings,
                                prepared.apiKey,
                                prepared.proxy,
                                listener,
                                ImageGeneration.export(workspace, j),
                                checkpoint.jobKey(),
                                checkpoint.tasks(),
                                checkpoint.startedAt())));
                    } catch (AbortException e) {
                        throw e;
                    } catch (IOException e) {
                        problem = e.getMessage();
                    } catch (RuntimeException e) {
                        endIfJenkinsStops(e);
                        throw sent.agentJobFailed(e);
                    } finally {
                        agentJobRunning = false;
                    }
                }
                Instant now = Instant.now();
                Instant deadline = wait.deadline();
                if (wait.isOver(now)) {
                    sent.abandoned("the agent did not come back before the step's deadline");
                    throw new AbortException(ProgressLog.PREFIX + "The agent did not come back before the step's"
                            + " deadline (" + (deadline == null ? "unknown" : StepStatus.TIME.format(deadline)) + "); "
                            + checkpoint.describeSaved(prepared.provider) + " and may still run and be billed.");
                }
                phase = StepStatus.Phase.WAITING_FOR_AGENT;
                waitingUntil = deadline;
                if (wait.noticeDue(now)) {
                    log.println(ProgressLog.PREFIX + "Waiting for the agent to come back (until "
                            + StepStatus.TIME.format(deadline)
                            + ", the step's deadline)" + (problem == null ? "" : ": " + problem) + "; "
                            + checkpoint.describeSaved(prepared.provider) + "; nothing is submitted again");
                }
                Thread.sleep(wait.nextPause(now).toMillis());
            }
        } catch (InterruptedException e) {
            endIfJenkinsStops(e);
            phase = StepStatus.Phase.STOPPING;
            if (agentJobRunning) {
                sent.aborted(j);
            } else {
                sent.abandoned("the build was aborted while the step waited for its agent");
            }
            prepared.reservation.close();
            throw e;
        } catch (AbortException e) {
            endIfJenkinsStops(e);
            prepared.reservation.close();
            throw e;
        }
    }

    /** Archive, build page, cost, and the step's outcome: its value, or the failure it ends with. */
    private Object judge(TaskListener listener, SentRequest sent, GenerationReport report) throws Exception {
        phase = StepStatus.Phase.FINISHING;
        FilePath workspace = required(FilePath.class);
        Launcher launcher = required(Launcher.class);
        ImageGeneration.Outcome outcome = sent.finish(workspace, launcher, report);
        BuildVerdict verdict = outcome.verdict();
        switch (verdict.outcome()) {
            case FAILURE -> throw new AbortException(verdict.message());
            case UNSTABLE -> {
                listener.getLogger().println(ProgressLog.PREFIX + verdict.message());
                // Stage views read the step's flow node: as the unstable step does, the node gets a WarningAction
                // (its stage shows unstable) and the run its result.
                FlowNode node = getContext().get(FlowNode.class);
                if (node != null) {
                    node.addOrReplaceAction(new WarningAction(Result.UNSTABLE).withMessage(verdict.message()));
                }
                getContext().setResult(Result.UNSTABLE);
            }
            case SUCCESS -> {}
        }
        return outcome.report().toStepResult();
    }

    /** The workspace when its agent is connected, else {@code null}. */
    private FilePath connectedWorkspace() throws InterruptedException {
        try {
            FilePath workspace = getContext().get(FilePath.class);
            // A FilePath without a channel is a file of this JVM: never run the agent's job here instead.
            return workspace == null || workspace.getChannel() == null ? null : workspace;
        } catch (IOException e) {
            return null;
        }
    }

    /** Saves the Pipeline program, with this execution's checkpoint; returns when it is on disk. */
    private void save() throws Exception {
        getContext().saveState().get(SAVE_SECONDS, TimeUnit.SECONDS);
    }

    private void checkIfStopped() throws InterruptedException {
        if (stopCause != null || Thread.currentThread().isInterrupted() || jenkinsStops()) {
            throw new InterruptedException("The step was stopped");
        }
    }

    /** The Jenkins running this step is stopping: the step ends here, untouched, and resumes in the next one. */
    private boolean jenkinsStops() {
        StepThreads t = threads;
        return t != null && t.isStopping();
    }

    /** Ends the step's thread at once, without logging, charging or completing anything, when Jenkins stops. */
    private <E extends Exception> void endIfJenkinsStops(E e) throws E {
        if (jenkinsStops()) {
            throw e;
        }
    }

    /** Before archiving and settling: the Jenkins that resumes the step does those, not this one. */
    private void endIfJenkinsStops() throws InterruptedException {
        endIfJenkinsStops(new InterruptedException("Jenkins is stopping"));
    }

    private <T> T required(Class<T> type) throws IOException, InterruptedException {
        T value = getContext().get(type);
        if (value == null) {
            throw new AbortException(
                    "The step needs a " + type.getSimpleName() + " from its context; run it inside node { }");
        }
        return value;
    }

    /** Completes the step once: with its value, or with the failure (for a stop, the stop's cause). */
    private void complete(Object value, Throwable failure) {
        if (jenkinsStops()) {
            LOGGER.log(Level.FINE, "Jenkins is stopping; the FLUX.1 Kontext step is taken up again when it starts");
            return;
        }
        synchronized (this) {
            if (completed) {
                return;
            }
            completed = true;
        }
        StepJournal j = journal;
        if (j != null) {
            j.close();
        }
        try {
            if (failure != null) {
                getContext().onFailure(failure);
            } else {
                getContext().onSuccess(value);
            }
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "Could not complete the FLUX.1 Kontext step", e);
        }
    }

    private String providerId() {
        try {
            return checkpoint.settings().providerId();
        } catch (RuntimeException e) {
            return "the provider";
        }
    }
}
