package io.jenkins.plugins.fluxkontext;

import hudson.AbortException;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.Secret;
import io.jenkins.plugins.fluxkontext.core.log.ProgressLog;
import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
import io.jenkins.plugins.fluxkontext.core.model.InvalidRequestException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import jenkins.util.BuildListenerAdapter;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;

/**
 * Runs either step. The controller part is short: check the parameters, read the key, hand the work to the agent,
 * archive, decide the build result.
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

        GenerationRequest request;
        try {
            request = settings.check();
        } catch (InvalidRequestException e) {
            throw new AbortException(e.getMessage());
        }
        Secret apiKey = ApiKeyCredentials.lookup(settings.credentialsId(), run);
        log.println(ProgressLog.PREFIX + (settings.isEdit() ? "Editing" : "Generating") + " " + request.count()
                + (request.count() == 1 ? " image" : " images") + " with " + request.model().id() + " at "
                + settings.providerId() + " into " + settings.outputDir() + "/: \"" + PromptText.shorten(request.prompt())
                + "\"");

        // Names carry the build number, so a rerun in the same workspace never meets the last build's files.
        settings.filePrefix("flux-kontext-" + run.getNumber());
        GenerationReport report = workspace.act(new GenerateImagesCallable(settings, apiKey, listener));

        // Archive before judging: images that were made (and paid for) are kept even when another task failed.
        Map<String, String> artifacts = report.artifacts();
        if (settings.archive() && !artifacts.isEmpty()) {
            run.pickArtifactManager().archive(workspace, launcher, BuildListenerAdapter.wrap(listener), artifacts);
            log.println(ProgressLog.PREFIX + "Archived " + artifacts.size()
                    + (artifacts.size() == 1 ? " file" : " files") + " as build artifacts");
        }

        BuildVerdict verdict = BuildVerdict.of(report, settings.onModeration());
        switch (verdict.outcome()) {
            case FAILURE -> throw new AbortException(verdict.message());
            case UNSTABLE -> {
                log.println(ProgressLog.PREFIX + verdict.message());
                // The step API's way to mark the build: applies to the whole run, like the unstable step.
                context.setResult(Result.UNSTABLE);
            }
            case SUCCESS -> { }
        }
        return report.toStepResult();
    }
}
