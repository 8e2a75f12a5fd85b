package io.jenkins.plugins.fluxkontext;

import hudson.AbortException;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.Secret;
import io.jenkins.plugins.fluxkontext.core.budget.CostEstimate;
import io.jenkins.plugins.fluxkontext.core.budget.Dollars;
import io.jenkins.plugins.fluxkontext.core.budget.PriceTable;
import io.jenkins.plugins.fluxkontext.core.budget.PriceTableException;
import io.jenkins.plugins.fluxkontext.core.budget.SpendingLedger;
import io.jenkins.plugins.fluxkontext.core.budget.SpendingLimits;
import io.jenkins.plugins.fluxkontext.core.budget.SpendingRefusedException;
import io.jenkins.plugins.fluxkontext.core.budget.SpendingScope;
import io.jenkins.plugins.fluxkontext.core.log.ProgressLog;
import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
import io.jenkins.plugins.fluxkontext.core.model.InvalidRequestException;
import io.jenkins.plugins.fluxkontext.core.provider.ApiKey;
import io.jenkins.plugins.fluxkontext.core.throttle.SlotLease;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import jenkins.util.BuildListenerAdapter;

/**
 * One request, from the controller's side; the Pipeline steps and the freestyle build steps both run it. In order:
 * apply the global defaults and check the parameters, read the key, estimate the cost and reserve it under the
 * spending limits, wait for a throttle slot, hand the work to the agent, archive, add the request to the build
 * page, record what it cost, and judge the build. Nothing is submitted before the limits and the throttle allow it.
 */
final class ImageGeneration {

    /** What a finished request means: its report, and the build result it asks for. */
    record Outcome(GenerationReport report, BuildVerdict verdict) {
    }

    private ImageGeneration() {
    }

    static Outcome run(Run<?, ?> run, FilePath workspace, Launcher launcher, TaskListener listener,
            StepSettings settings) throws IOException, InterruptedException {
        PrintStream log = listener.getLogger();
        FluxKontextGlobalConfiguration global = FluxKontextGlobalConfiguration.get();
        GenerationRequest request;
        PriceTable prices;
        SpendingLimits limits;
        try {
            request = settings.withDefaults(global.defaults()).check();
            limits = global.limits(settings.maxCost());
        } catch (InvalidRequestException e) {
            throw new AbortException(e.getMessage());
        }
        try {
            prices = global.prices();
        } catch (PriceTableException e) {
            throw new AbortException("The price table in Manage Jenkins → System cannot be read. " + e.getMessage());
        }
        Secret apiKey = ApiKeyCredentials.lookup(settings.credentialsId(), run);
        String provider = settings.providerId();
        CostEstimate estimate = prices.estimate(provider, request);
        settings.pricePerImage(estimate.pricePerImage());

        ControllerLimits shared = ControllerLimits.get();
        FluxKontextAction action = FluxKontextAction.of(run);
        SpendingScope scope = new SpendingScope(run.getParent().getFullName(), run.getId());
        SpendingLedger.Reservation reservation;
        try {
            reservation = shared.reserve(scope, action.spentUsd(), estimate, limits);
        } catch (SpendingRefusedException e) {
            throw new AbortException(ProgressLog.PREFIX + e.getMessage());
        }
        log.println(ProgressLog.PREFIX + (settings.isEdit() ? "Editing" : "Generating") + " " + request.count()
                + (request.count() == 1 ? " image" : " images") + " with " + request.model().id() + " at "
                + provider + " into " + settings.outputDir() + "/: \"" + PromptText.shorten(request.prompt())
                + "\"; estimated cost " + estimate.display());

        SlotLease lease;
        try {
            lease = shared.throttle().acquire(provider, ApiKey.of(apiKey.getPlainText()), request.count(),
                    wait -> log.println(ProgressLog.PREFIX + wait.line()));
        } catch (InterruptedException | RuntimeException e) {
            // Aborted while waiting: nothing was submitted.
            reservation.release();
            throw e;
        }
        // Names carry the build number, so a rerun in the same workspace never meets the last build's files.
        settings.filePrefix("flux-kontext-" + run.getNumber());
        Instant started = Instant.now();
        GenerationReport report;
        try (lease) {
            settings.tasksAtOnce(lease.granted());
            report = workspace.act(new GenerateImagesCallable(settings, apiKey, listener));
        } catch (GenerateImagesCallable.NothingSubmittedException e) {
            reservation.release();
            throw e;
        } catch (IOException | InterruptedException | RuntimeException e) {
            // Ended without a result (abort, lost agent): some tasks may have been billed; count the estimate.
            reservation.close();
            throw e;
        }
        Duration took = Duration.between(started, Instant.now());

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
            action.add(GalleryEntry.of(settings.prompt(), settings.isEdit(), report, took, archived));
        } finally {
            BigDecimal charged = report.charge() == null ? BigDecimal.ZERO : report.charge().amount();
            shared.settle(reservation, charged);
        }
        if (report.charge() != null) {
            log.println(ProgressLog.PREFIX + "Cost: " + report.charge().display() + "; this build has spent "
                    + Dollars.format(action.spentUsd()) + ", this job " + Dollars.format(shared.spentByJob(scope.job())));
        }
        return new Outcome(report, BuildVerdict.of(report, settings.onModeration()));
    }
}
