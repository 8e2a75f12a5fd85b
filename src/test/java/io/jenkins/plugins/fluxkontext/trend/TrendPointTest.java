package io.jenkins.plugins.fluxkontext.trend;

import static io.jenkins.plugins.fluxkontext.agent.GenerationReportTest.WORKSPACE;
import static io.jenkins.plugins.fluxkontext.agent.GenerationReportTest.handle;
import static io.jenkins.plugins.fluxkontext.agent.GenerationReportTest.result;
import static io.jenkins.plugins.fluxkontext.agent.GenerationReportTest.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.fluxkontext.action.FluxKontextAction;
import io.jenkins.plugins.fluxkontext.action.GalleryEntry;
import io.jenkins.plugins.fluxkontext.agent.GenerationReport;
import io.jenkins.plugins.fluxkontext.core.budget.CostEstimate;
import io.jenkins.plugins.fluxkontext.core.engine.GenerationResult;
import io.jenkins.plugins.fluxkontext.core.model.KontextModel;
import io.jenkins.plugins.fluxkontext.core.task.Billing;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A build's point on the trend chart counts what its requests cost and made, from its build page action. */
class TrendPointTest {

    private static GenerationReport report(GenerationResult result) {
        CostEstimate estimate =
                new CostEstimate("bfl", KontextModel.MAX, result.outcomes().size(), new BigDecimal("0.08"));
        return GenerationReport.of(result, WORKSPACE, "bfl", "flux-kontext-max").withCharge(estimate.charge(result));
    }

    @Test
    void aBuildsPointAddsUpCostImagesModeratedAndFailedTasksOfAllItsRequests() throws Exception {
        FluxKontextAction action = new FluxKontextAction();
        action.add(GalleryEntry.of(
                "a fox",
                false,
                report(result(succeeded(1, "t-1", null), succeeded(2, "t-2", null))),
                Duration.ZERO,
                true));
        action.add(GalleryEntry.of(
                "a cat",
                false,
                report(result(
                        succeeded(1, "t-3", null),
                        new TaskOutcome.Moderated(
                                2,
                                handle(2, "t-4"),
                                TaskOutcome.ModerationSide.OUTPUT,
                                List.of("NSFW"),
                                Billing.NOT_BILLED),
                        new TaskOutcome.Failed(3, handle(3, "t-5"), "Error", "GPU fell over", Billing.BILLED))),
                Duration.ZERO,
                false));

        TrendPoint point = TrendPoint.of(7, action);

        assertThat(point.getNumber()).isEqualTo(7);
        // $0.16 for the first request; $0.16 for the second (the moderated task was not billed, the failed one was).
        assertThat(point.getCostText()).isEqualTo("$0.32");
        assertThat(point.getCost()).isEqualTo(0.32);
        assertThat(point.getImages()).as("made, archived or not").isEqualTo(3);
        assertThat(point.getModerated()).isEqualTo(1);
        assertThat(point.getFailed()).isEqualTo(1);
    }
}
