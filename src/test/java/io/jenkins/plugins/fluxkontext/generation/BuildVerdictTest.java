package io.jenkins.plugins.fluxkontext.generation;

import static io.jenkins.plugins.fluxkontext.agent.GenerationReportTest.WORKSPACE;
import static io.jenkins.plugins.fluxkontext.agent.GenerationReportTest.handle;
import static io.jenkins.plugins.fluxkontext.agent.GenerationReportTest.result;
import static io.jenkins.plugins.fluxkontext.agent.GenerationReportTest.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.fluxkontext.agent.GenerationReport;
import io.jenkins.plugins.fluxkontext.core.task.Billing;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome.ModerationSide;
import io.jenkins.plugins.fluxkontext.generation.BuildVerdict.Outcome;
import io.jenkins.plugins.fluxkontext.parameters.ModerationPolicy;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BuildVerdictTest {

    private static BuildVerdict verdict(ModerationPolicy policy, TaskOutcome... outcomes) {
        return BuildVerdict.of(GenerationReport.of(result(outcomes), WORKSPACE, "bfl", "flux-kontext-max"), policy);
    }

    private static TaskOutcome.Moderated moderated(int index, String id, ModerationSide side) {
        return new TaskOutcome.Moderated(
                index, handle(index, id), side, List.of("Derivative Works Filter"), Billing.NOT_BILLED);
    }

    @Test
    void allSucceededIsASuccess() {
        assertThat(verdict(ModerationPolicy.FAILURE, succeeded(1, "t-1", null)))
                .isEqualTo(new BuildVerdict(Outcome.SUCCESS, ""));
    }

    @Test
    void aFailedTaskFailsTheBuildWithTheProvidersReasonAndTaskId() {
        BuildVerdict v = verdict(
                ModerationPolicy.UNSTABLE,
                succeeded(1, "t-1", null),
                new TaskOutcome.Failed(2, handle(2, "t-2"), "Error", "GPU fell over", Billing.BILLED));

        assertThat(v.outcome()).isEqualTo(Outcome.FAILURE);
        assertThat(v.message()).contains("1 of 2 tasks did not succeed", "t-2", "GPU fell over", "[billed]");
    }

    @Test
    void moderationFailsByDefaultAndSaysWhichSide() {
        BuildVerdict v = verdict(ModerationPolicy.FAILURE, moderated(1, "t-1", ModerationSide.OUTPUT));

        assertThat(v.outcome()).isEqualTo(Outcome.FAILURE);
        assertThat(v.message())
                .contains(
                        "1 of 1 task moderated",
                        "t-1",
                        "generated image was moderated",
                        "Derivative Works Filter",
                        "[not billed]");
    }

    @Test
    void moderationMarksUnstableWhenAsked() {
        BuildVerdict v = verdict(
                ModerationPolicy.UNSTABLE, succeeded(1, "t-1", null), moderated(2, "t-2", ModerationSide.REQUEST));

        assertThat(v.outcome()).isEqualTo(Outcome.UNSTABLE);
        assertThat(v.message()).contains("onModeration: UNSTABLE", "prompt or input image", "t-2");
    }

    @Test
    void moderationNextToARealFailureStillFails() {
        BuildVerdict v = verdict(
                ModerationPolicy.UNSTABLE,
                moderated(1, "t-1", ModerationSide.OUTPUT),
                new TaskOutcome.TimedOut(2, handle(2, "t-2"), Duration.ofSeconds(600)));

        assertThat(v.outcome()).isEqualTo(Outcome.FAILURE);
    }

    @Test
    void timeoutsAndAmbiguousSubmitsSayAChargeMayHaveHappened() {
        BuildVerdict v = verdict(
                ModerationPolicy.FAILURE,
                new TaskOutcome.TimedOut(1, handle(1, "t-1"), Duration.ofSeconds(600)),
                new TaskOutcome.SubmitAmbiguous(2, "t-2", "read timed out"));

        assertThat(v.outcome()).isEqualTo(Outcome.FAILURE);
        assertThat(v.message()).contains("t-1", "t-2", "[a charge may have happened]");
    }
}
