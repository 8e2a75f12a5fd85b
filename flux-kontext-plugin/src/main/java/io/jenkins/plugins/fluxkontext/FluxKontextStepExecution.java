package io.jenkins.plugins.fluxkontext;

import hudson.AbortException;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.fluxkontext.core.log.ProgressLog;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;

/**
 * Runs either Pipeline step through {@link ImageGeneration}, the path the freestyle build steps take too, and turns
 * its verdict into the step's outcome.
 *
 * <p>Why {@link SynchronousNonBlockingStepExecution}: {@code run()} happens on a pooled thread, never on the CPS VM
 * thread, and {@code stop()} (abort, or an enclosing {@code timeout}) interrupts that thread, which remoting carries
 * to the agent callable, where the engine cancels its HTTP calls. It does not survive a controller restart (the step
 * then fails with Jenkins' "cannot be resumed" message); issue 7 replaces it with an execution that keeps the task
 * handles, which {@link GenerationReport.TaskRecord} already carries.
 */
final class FluxKontextStepExecution extends SynchronousNonBlockingStepExecution<List<Map<String, Object>>> {

    private static final long serialVersionUID = 1L;

    /** Not needed after a restart (this execution does not resume), so not persisted with the program. */
    private final transient StepSettings settings;

    FluxKontextStepExecution(StepContext context, StepSettings settings) {
        super(context);
        this.settings = settings;
    }

    @Override
    protected List<Map<String, Object>> run() throws Exception {
        StepContext context = getContext();
        Run<?, ?> run = Objects.requireNonNull(context.get(Run.class), "Run");
        FilePath workspace = Objects.requireNonNull(context.get(FilePath.class), "FilePath");
        TaskListener listener = Objects.requireNonNull(context.get(TaskListener.class), "TaskListener");
        Launcher launcher = Objects.requireNonNull(context.get(Launcher.class), "Launcher");
        PrintStream log = listener.getLogger();

        ImageGeneration.Outcome outcome = ImageGeneration.run(run, workspace, launcher, listener, settings);
        BuildVerdict verdict = outcome.verdict();
        switch (verdict.outcome()) {
            case FAILURE -> throw new AbortException(verdict.message());
            case UNSTABLE -> {
                log.println(ProgressLog.PREFIX + verdict.message());
                // The step API's way to mark the build: applies to the whole run, like the unstable step.
                context.setResult(Result.UNSTABLE);
            }
            case SUCCESS -> { }
        }
        return outcome.report().toStepResult();
    }
}
