package io.jenkins.plugins.fluxkontext.generation;

import hudson.AbortException;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import hudson.util.Secret;
import io.jenkins.plugins.fluxkontext.action.FluxKontextAction;
import io.jenkins.plugins.fluxkontext.action.GalleryEntry;
import io.jenkins.plugins.fluxkontext.agent.GenerateImagesCallable;
import io.jenkins.plugins.fluxkontext.agent.GenerationReport;
import io.jenkins.plugins.fluxkontext.agent.TaskJournal;
import io.jenkins.plugins.fluxkontext.config.ApiKeyCredentials;
import io.jenkins.plugins.fluxkontext.config.ControllerProxy;
import io.jenkins.plugins.fluxkontext.config.FluxKontextGlobalConfiguration;
import io.jenkins.plugins.fluxkontext.config.ProviderThrottle;
import io.jenkins.plugins.fluxkontext.core.budget.CostEstimate;
import io.jenkins.plugins.fluxkontext.core.budget.Dollars;
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
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jenkins.util.BuildListenerAdapter;

/**
 * One request, from the controller's side; the Pipeline steps and the freestyle build steps both run it. In order:
 * apply the global defaults and check the parameters, read the key, estimate the cost and reserve it under the
 * spending limits (the step's, the build's, the job's, and the monthly limits of its folders and of the controller),
 * wait for a throttle slot ({@link #prepare}); hand the work to the agent; archive, add the request
 * to the build page, record what it cost, and judge the build ({@link #finish}). Nothing is submitted before the
 * limits and the throttle allow it.
 *
 * <p>{@link #run} is the whole of it in one go, as the freestyle build steps use it. The Pipeline execution
 * ({@code FluxKontextStepExecution}) calls the parts itself, so that it can save its state in between and take a
 * request up again after a restart.
 */
public final class ImageGeneration {

    /** How long an aborted job's agent gets to say what became of its tasks (its cancel calls take at most 3 s). */
    public static final long ABORT_REPORT_SECONDS = 8;

    /** What a finished request means: its report, and the build result it asks for. */
    public record Outcome(GenerationReport report, BuildVerdict verdict) {}

    /** What the controller settled before the agent job: the checked request, the key, the money, the slot. */
    public static final class Prepared {
        public final GenerationRequest request;
        public final Secret apiKey;
        /** The controller's HTTP proxy, read like the key for every start; {@code null}: the agent's own. */
        public final ProxySettings proxy;

        public final String provider;
        public final int taskCount;
        public final SpendingLedger.Reservation reservation;
        public final FluxKontextAction action;
        public final SpendingScope scope;
        /** The throttle slot; {@code null} for a resumed request, whose tasks already run at the provider. */
        public final SlotLease lease;

        private Prepared(
                GenerationRequest request,
                Secret apiKey,
                ProxySettings proxy,
                String provider,
                int taskCount,
                SpendingLedger.Reservation reservation,
                FluxKontextAction action,
                SpendingScope scope,
                SlotLease lease) {
            this.request = request;
            this.apiKey = apiKey;
            this.proxy = proxy;
            this.provider = provider;
            this.taskCount = taskCount;
            this.reservation = reservation;
            this.action = action;
            this.scope = scope;
            this.lease = lease;
        }

        /** Frees the throttle slot, if any. */
        public void releaseSlot() {
            if (lease != null) {
                lease.close();
            }
        }
    }

    private ImageGeneration() {}

    /** The freestyle build steps: everything in one go, on this thread. A freestyle build cannot resume. */
    public static Outcome run(
            Run<?, ?> run, FilePath workspace, Launcher launcher, TaskListener listener, StepSettings settings)
            throws IOException, InterruptedException {
        readSidecar(workspace, listener, settings);
        Prepared prepared = prepare(run, listener, settings, false);
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
        Instant started = Instant.now();
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
            aborted(run, listener, settings, prepared, journal, checkpoint, started);
            prepared.reservation.close();
            throw e;
        } catch (AbortException e) {
            prepared.reservation.close();
            throw e;
        } catch (IOException | RuntimeException e) {
            // The agent went away: the tasks may go on at the provider, and a freestyle build cannot take them up.
            abandoned(
                    run,
                    listener,
                    settings,
                    prepared,
                    checkpoint,
                    started,
                    "the connection to the agent was lost (" + e.getMessage()
                            + "); a freestyle build cannot take its tasks up again");
            prepared.reservation.close();
            throw e;
        } finally {
            journal.close();
            prepared.releaseSlot();
        }
        return finish(
                run,
                workspace,
                launcher,
                listener,
                settings,
                prepared,
                report,
                Duration.between(started, Instant.now()));
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
    public static Prepared prepare(Run<?, ?> run, TaskListener listener, StepSettings settings, boolean resumed)
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
            return new Prepared(request, apiKey, proxy, provider, taskCount, reservation, action, scope, null);
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
        return new Prepared(request, apiKey, proxy, provider, taskCount, reservation, action, scope, lease);
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

    /** After the agent job: archive, the build page, what it cost, and the verdict. */
    public static Outcome finish(
            Run<?, ?> run,
            FilePath workspace,
            Launcher launcher,
            TaskListener listener,
            StepSettings settings,
            Prepared prepared,
            GenerationReport report,
            Duration took)
            throws IOException, InterruptedException {
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
        return new Outcome(report, BuildVerdict.of(report, settings.onModeration()));
    }

    /**
     * The agent job was interrupted (abort, {@code timeout}): waits briefly for the agent to say what became of each
     * task, then logs it here on the controller, where the line cannot be lost with the channel: which tasks were
     * cancelled at the provider, and the ids of those that may still run and be billed. The build page lists every
     * task. The reservation is the caller's.
     */
    public static void aborted(
            Run<?, ?> run,
            TaskListener listener,
            StepSettings settings,
            Prepared prepared,
            StepJournal journal,
            StepCheckpoint checkpoint,
            Instant started) {
        PrintStream log = listener.getLogger();
        StepJournal.AbortReport report = null;
        try {
            report = journal.awaitAbortReport(ABORT_REPORT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            // Stopped again: say what we know.
            Thread.currentThread().interrupt();
        }
        if (report == null) {
            abandoned(
                    run,
                    listener,
                    settings,
                    prepared,
                    checkpoint,
                    started,
                    "the build was aborted and the agent" + " did not say what became of the tasks");
            return;
        }
        for (String line : AbortLines.of(report.report(), report.summary())) {
            log.println(ProgressLog.PREFIX + line);
        }
        addToBuildPage(
                prepared,
                GalleryEntry.of(
                        settings.prompt(),
                        settings.isEdit(),
                        report.report(),
                        Duration.between(started, Instant.now()),
                        false),
                log);
    }

    /**
     * The step ends without word from the agent about its tasks (abort without a report, an agent that did not come
     * back, a freestyle build that lost its agent): logs every saved task id as possibly still running and billed,
     * and lists them on the build page.
     */
    public static void abandoned(
            Run<?, ?> run,
            TaskListener listener,
            StepSettings settings,
            Prepared prepared,
            StepCheckpoint checkpoint,
            Instant started,
            String why) {
        PrintStream log = listener.getLogger();
        GenerationReport report = GenerationReport.abandoned(
                prepared.provider, prepared.request.model().id(), prepared.taskCount, checkpoint.tasks(), why);
        for (String line : AbortLines.abandoned(report, why)) {
            log.println(ProgressLog.PREFIX + line);
        }
        addToBuildPage(
                prepared,
                GalleryEntry.of(
                        settings.prompt(),
                        settings.isEdit(),
                        report,
                        Duration.between(started == null ? Instant.now() : started, Instant.now()),
                        false),
                log);
    }

    /**
     * The agent job of a Pipeline step ended with an exception of no expected kind (a remoting failure, a fault in the
     * job): its tasks may have been submitted, so it ends as a lost freestyle agent job does. Every saved task id is
     * logged as possibly billed, the build page lists them, and the whole estimate is charged, never left held against
     * the limits. Returns the failure the step ends with.
     */
    public static AbortException agentJobFailed(
            Run<?, ?> run,
            TaskListener listener,
            StepSettings settings,
            Prepared prepared,
            StepCheckpoint checkpoint,
            Instant started,
            RuntimeException e) {
        try {
            abandoned(run, listener, settings, prepared, checkpoint, started, "the agent job failed (" + e + ")");
        } finally {
            prepared.reservation.close();
        }
        AbortException failed = new AbortException(ProgressLog.PREFIX + "The agent job failed: " + e);
        failed.initCause(e);
        return failed;
    }

    private static void addToBuildPage(Prepared prepared, GalleryEntry entry, PrintStream log) {
        try {
            prepared.action.add(entry);
        } catch (IOException e) {
            log.println(ProgressLog.PREFIX + "The build page could not be saved: " + e.getMessage());
        }
    }
}
