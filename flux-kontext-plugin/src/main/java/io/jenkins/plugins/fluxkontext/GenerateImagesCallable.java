package io.jenkins.plugins.fluxkontext;

import hudson.AbortException;
import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import hudson.util.Secret;
import io.jenkins.plugins.fluxkontext.core.budget.CostEstimate;
import io.jenkins.plugins.fluxkontext.core.engine.GenerationAbortedException;
import io.jenkins.plugins.fluxkontext.core.engine.GenerationEngine;
import io.jenkins.plugins.fluxkontext.core.engine.GenerationJob;
import io.jenkins.plugins.fluxkontext.core.engine.GenerationResult;
import io.jenkins.plugins.fluxkontext.core.engine.TaskOutcome;
import io.jenkins.plugins.fluxkontext.core.log.ProgressLog;
import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
import io.jenkins.plugins.fluxkontext.core.model.InvalidRequestException;
import io.jenkins.plugins.fluxkontext.core.provider.ApiKey;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import jenkins.MasterToSlaveFileCallable;

/**
 * The agent side of both steps: the whole HTTP conversation and the files. Runs in the agent JVM with the workspace
 * as {@code invoke}'s file, so input paths resolve there and images land there. Builds its own engine (a plain OkHttp
 * client; {@code Jenkins.get()} does not exist on an agent) and returns plain values only.
 *
 * <p>An abort interrupts the controller thread waiting in {@code FilePath.act}; remoting forwards that as an
 * interrupt of this thread, the engine cancels its calls, and no partial file is left.
 */
final class GenerateImagesCallable extends MasterToSlaveFileCallable<GenerationReport> {

    private static final long serialVersionUID = 1L;

    private final StepSettings settings;
    /** Travels over the agent channel only; never printed, never in the returned report. */
    private final Secret apiKey;
    private final TaskListener listener;

    GenerateImagesCallable(StepSettings settings, Secret apiKey, TaskListener listener) {
        this.settings = settings;
        this.apiKey = apiKey;
        this.listener = listener;
    }

    @Override
    public GenerationReport invoke(File workspaceDir, VirtualChannel channel) throws IOException, InterruptedException {
        Path workspace = workspaceDir.toPath().toAbsolutePath();
        PrintStream log = listener.getLogger();
        GenerationJob job;
        try {
            GenerationRequest request = settings.request(workspace);
            job = new GenerationJob(request, settings.endpoint(), ApiKey.of(apiKey.getPlainText()),
                    settings.outputPlan(workspace));
        } catch (InvalidRequestException e) {
            // Input images are only checked here, where they are: still before anything is sent.
            throw new NothingSubmittedException(e.getMessage());
        }
        ProgressLog progress = new ProgressLog(log::println, job.request().count(), workspace);
        Instant started = Instant.now();
        GenerationEngine.Builder engineSettings = GenerationEngine.builder().totalTimeout(settings.timeout())
                .readTimeout(settings.pollTimeout());
        if (settings.tasksAtOnce() > 0) {
            // The controller's throttle granted this many slots of the provider's limit to this request.
            engineSettings.maxConcurrentTasks(settings.tasksAtOnce());
        }
        try (GenerationEngine engine = engineSettings.build()) {
            GenerationResult result = engine.run(job, progress);
            progress.summary(result, Duration.between(started, Instant.now()));
            String provider = job.endpoint().dialect().id();
            // Priced here because only here is the core result, with each task's billing and reported cost.
            CostEstimate estimate = new CostEstimate(provider, job.request().model(), job.request().count(),
                    settings.pricePerImage());
            return GenerationReport.of(result, workspace, provider, job.request().model().id())
                    .withCharge(estimate.charge(result));
        } catch (GenerationAbortedException e) {
            // The build is being aborted: say which tasks may still be billed, then let the abort go on.
            if (e.result() != null) {
                for (TaskOutcome outcome : e.result().failures()) {
                    log.println(ProgressLog.PREFIX + outcome.message());
                }
            }
            throw e;
        } catch (InvalidRequestException e) {
            throw new AbortException(e.getMessage());
        }
    }

    /** The request was refused on the agent before any task was submitted, so nothing can have been billed. */
    static final class NothingSubmittedException extends AbortException {

        private static final long serialVersionUID = 1L;

        NothingSubmittedException(String message) {
            super(message);
        }
    }
}
