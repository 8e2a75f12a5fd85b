package io.jenkins.plugins.fluxkontext.generation;

import hudson.AbortException;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import hudson.util.Secret;
import io.jenkins.plugins.fluxkontext.action.FluxKontextAction;
import io.jenkins.plugins.fluxkontext.agent.GenerateImagesCallable;
import io.jenkins.plugins.fluxkontext.agent.GenerationReport;
import io.jenkins.plugins.fluxkontext.agent.TaskJournal;
import io.jenkins.plugins.fluxkontext.config.ApiKeyCredentials;
import io.jenkins.plugins.fluxkontext.config.ControllerProxy;
import io.jenkins.plugins.fluxkontext.config.FluxKontextGlobalConfiguration;
import io.jenkins.plugins.fluxkontext.config.ProviderThrottle;
import io.jenkins.plugins.fluxkontext.core.budget.CostEstimate;
import io.jenkins.plugins.fluxkontext.core.budget.MonthlyLimit;
import io.jenkins.plugins.fluxkontext.core.budget.PriceTable;
import io.jenkins.plugins.fluxkontext.core.budget.PriceTableException;
import io.jenkins.plugins.fluxkontext.core.budget.SpendingLedger;
import io.jenkins.plugins.fluxkontext.core.budget.SpendingLimits;
import io.jenkins.plugins.fluxkontext.core.budget.SpendingRefusedException;
import io.jenkins.plugins.fluxkontext.core.budget.SpendingScope;
import io.jenkins.plugins.fluxkontext.core.engine.TaskPlan;
import io.jenkins.plugins.fluxkontext.core.log.ProgressLog;
import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
import io.jenkins.plugins.fluxkontext.core.model.InvalidRequestException;
import io.jenkins.plugins.fluxkontext.core.provider.ApiKey;
import io.jenkins.plugins.fluxkontext.core.proxy.ProxySettings;
import io.jenkins.plugins.fluxkontext.core.throttle.SlotLease;
import io.jenkins.plugins.fluxkontext.parameters.StepSettings;
import io.jenkins.plugins.fluxkontext.spending.ControllerSpending;
import io.jenkins.plugins.fluxkontext.spending.StartedBy;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;

/**
 * One request, from the controller's side; the Pipeline steps and the freestyle build steps both run it. In order:
 * apply the global defaults and check the parameters, read the key, estimate the cost and reserve it under the
 * spending limits (the step's, the build's, the job's, and the monthly limits of its folders and of the controller),
 * wait for a throttle slot ({@link #prepare}); hand the work to the agent; then end it as a {@link SentRequest}:
 * archive, add the request to the build page, record what it cost, and judge the build. Nothing is submitted before
 * the limits and the throttle allow it.
 *
 * <p>{@link #run} is the whole of it in one go, as the freestyle build steps use it. The Pipeline execution
 * ({@code FluxKontextStepExecution}) calls the parts itself, so that it can save its state in between and take a
 * request up again after a restart.
 */
public final class ImageGeneration {

    /** What a finished request means: its report, and the build result it asks for. */
    public record Outcome(GenerationReport report, BuildVerdict verdict) {}

    private ImageGeneration() {}

    /** The freestyle build steps: everything in one go, on this thread. A freestyle build cannot resume. */
    public static Outcome run(
            Run<?, ?> run, FilePath workspace, Launcher launcher, TaskListener listener, StepSettings settings)
            throws IOException, InterruptedException {
        readSidecar(workspace, listener, settings);
        PreparedRequest prepared = prepare(run, listener, settings, false);
        StepCheckpoint checkpoint = new StepCheckpoint(settings);
        try {
            stageEarlierImages(run, workspace, listener, settings, checkpoint.jobKey());
        } catch (InterruptedException | RuntimeException e) {
            prepared.reservation.release();
            prepared.releaseSlot();
            throw e;
        }
        // Kept in memory only: for the abort and lost-agent messages.
        StepJournal journal = new StepJournal(prepared.provider, prepared.taskCount, checkpoint, () -> {});
        checkpoint.agentJobSent(Instant.now());
        SentRequest sent = new SentRequest(run, listener, settings, prepared, checkpoint, Instant.now());
        GenerationReport report;
        try {
            report = workspace.act(GenerateImagesCallable.fresh(
                    settings,
                    prepared.apiKey,
                    prepared.proxy,
                    listener,
                    export(workspace, journal),
                    checkpoint.jobKey()));
        } catch (GenerateImagesCallable.NothingSubmittedException e) {
            prepared.reservation.release();
            throw e;
        } catch (InterruptedException e) {
            sent.aborted(journal);
            prepared.reservation.close();
            throw e;
        } catch (AbortException e) {
            prepared.reservation.close();
            throw e;
        } catch (IOException e) {
            // The agent went away: the tasks may go on at the provider, and a freestyle build cannot take them up.
            sent.abandoned("the connection to the agent was lost (" + e.getMessage()
                    + "); a freestyle build cannot take its tasks up again");
            prepared.reservation.close();
            throw e;
        } catch (RuntimeException e) {
            throw sent.agentJobFailed(e);
        } finally {
            journal.close();
            prepared.releaseSlot();
        }
        return sent.finish(workspace, launcher, report);
    }

    /**
     * With {@code fromSidecar}, before {@link #prepare}: takes the request that made the sidecar's image into
     * {@code settings}, so that everything after sees the request that will run.
     */
    public static void readSidecar(FilePath workspace, TaskListener listener, StepSettings settings)
            throws IOException, InterruptedException {
        SidecarReplay.read(workspace, listener, settings);
    }

    /**
     * With {@code reuse: 'job'}, after {@link #prepare} and before the agent job: copies the images that earlier builds
     * of the job made with exactly this request into the workspace for the agent job, which uses them instead of
     * submitting their tasks.
     */
    public static void stageEarlierImages(
            Run<?, ?> run, FilePath workspace, TaskListener listener, StepSettings settings, String jobKey)
            throws InterruptedException {
        EarlierImageStaging.stage(run, workspace, listener, settings, jobKey);
    }

    /**
     * Everything before the agent job: defaults and checks, the key, the estimate and its reservation, and (for a
     * fresh request) a throttle slot.
     *
     * @param resumed the request's tasks were submitted before a restart or a lost agent: its reservation is not held
     *                to the limits (the money is committed) and it takes no throttle slot (its tasks are running at
     *                the provider already; waiting for a slot could let their results expire)
     */
    public static PreparedRequest prepare(Run<?, ?> run, TaskListener listener, StepSettings settings, boolean resumed)
            throws IOException, InterruptedException {
        PrintStream log = listener.getLogger();
        FluxKontextGlobalConfiguration global = FluxKontextGlobalConfiguration.get();
        GenerationRequest request;
        PriceTable prices;
        SpendingLimits limits;
        List<MonthlyLimit> monthly;
        int taskCount;
        try {
            request = settings.withDefaults(global.defaults()).check();
            limits = resumed ? SpendingLimits.NONE : global.limits(settings.maxCost());
            monthly = resumed ? List.of() : ControllerSpending.monthlyLimitsOf(run.getParent());
            taskCount = TaskPlan.of(request, settings.endpoint().dialect()).size();
        } catch (InvalidRequestException e) {
            throw new AbortException(e.getMessage());
        }
        try {
            prices = global.prices();
        } catch (PriceTableException e) {
            throw new AbortException("The price table in Manage Jenkins → System cannot be read. " + e.getMessage());
        }
        Secret apiKey = ApiKeyCredentials.lookup(settings.credentialsId(), run);
        ProxySettings proxy = ControllerProxy.configured();
        String provider = settings.providerId();
        CostEstimate estimate = prices.estimate(provider, request);
        if (!resumed || settings.pricePerImage() == null) {
            settings.pricePerImage(estimate.pricePerImage());
        }

        ControllerSpending spending = ControllerSpending.get();
        FluxKontextAction action = FluxKontextAction.of(run);
        SpendingScope scope = new SpendingScope(run.getParent().getFullName(), run.getId(), StartedBy.of(run));
        SpendingLedger.Reservation reservation;
        try {
            reservation = spending.reserve(scope, action.spentUsd(), estimate, limits, monthly);
        } catch (SpendingRefusedException e) {
            throw new AbortException(ProgressLog.PREFIX + e.getMessage());
        }
        if (resumed) {
            return new PreparedRequest(request, apiKey, proxy, provider, taskCount, reservation, action, scope, null);
        }
        log.println(ProgressLog.PREFIX + (settings.isEdit() ? "Editing" : "Generating") + " " + request.imageCount()
                + (request.imageCount() == 1 ? " image" : " images") + formats(request) + " with "
                + request.model().id() + " at "
                + provider + " into " + settings.outputDir() + "/: \"" + PromptText.shorten(request.prompt())
                + "\"; estimated cost " + estimate.display());

        // Names carry the build number, so a rerun in the same workspace never meets the last build's files, and the
        // step call's number after the first, so two steps of one build never meet each other's (flux-kontext-12-1.png,
        // then flux-kontext-12-step2-1.png). Kept in the settings, which a Pipeline step saves before its submit, so a
        // resumed step writes under the same names.
        try {
            int call = action.nextRequestNumber();
            settings.filePrefix("flux-kontext-" + run.getNumber() + (call == 1 ? "" : "-step" + call));
        } catch (IOException | RuntimeException e) {
            reservation.release();
            throw e;
        }
        SlotLease lease;
        try {
            lease = ProviderThrottle.get()
                    .throttle()
                    .acquire(
                            provider,
                            ApiKey.of(apiKey.getPlainText()),
                            request.imageCount(),
                            wait -> log.println(ProgressLog.PREFIX + wait.line()));
        } catch (InterruptedException | RuntimeException e) {
            // Aborted while waiting: nothing was submitted.
            reservation.release();
            throw e;
        }
        settings.tasksAtOnce(lease.granted());
        return new PreparedRequest(request, apiKey, proxy, provider, taskCount, reservation, action, scope, lease);
    }

    /** {@code  in 3 formats (1:1, 9:16, 16:9)}, or nothing for one format. */
    private static String formats(GenerationRequest request) {
        return request.formatCount() == 1
                ? ""
                : " in " + request.formatCount() + " formats ("
                        + String.join(
                                ", ",
                                request.aspectRatios().stream()
                                        .map(Object::toString)
                                        .toList())
                        + ")";
    }

    /**
     * The journal as the agent reaches it: exported over the workspace's channel, so that each call runs here on the
     * controller. On the built-in node (no channel, or the local one, whose export returns the object itself) the
     * agent job calls it directly.
     */
    public static TaskJournal export(FilePath workspace, StepJournal journal) {
        VirtualChannel channel = workspace.getChannel();
        return channel == null ? journal : channel.export(TaskJournal.class, journal);
    }
}
