package io.jenkins.plugins.fluxkontext.generation;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.fluxkontext.action.GalleryEntry;
import io.jenkins.plugins.fluxkontext.agent.GenerationReport;
import io.jenkins.plugins.fluxkontext.agent.GenerationReport.TaskRecord;
import io.jenkins.plugins.fluxkontext.agent.GenerationReport.TaskState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The controller's log lines after an abort, and for a step that ended without word from its agent. */
class AbortLinesTest {

    @Test
    void listEachTaskTheEnginesSummaryAndEveryId() {
        ArrayList<TaskRecord> tasks = new ArrayList<>(List.of(
                new TaskRecord(1, "a", TaskState.SUCCEEDED, "Task a succeeded", "BILLED", null),
                new TaskRecord(
                        2,
                        "b",
                        TaskState.CANCELLED,
                        "Task b was abandoned here; it may still run and be billed.",
                        "MAYBE_BILLED",
                        null),
                new TaskRecord(3, null, TaskState.NOT_SUBMITTED, "Task 3 was not submitted", "NOT_BILLED", null)));
        GenerationReport report = new GenerationReport("bfl", "flux-kontext-max", new ArrayList<>(), tasks, null, null);

        assertThat(AbortLines.of(report, "Aborted; 1 submitted task(s) may still run and be billed: b"))
                .containsExactly(
                        "Task b was abandoned here; it may still run and be billed.",
                        "Aborted; 1 submitted task(s) may still run and be billed: b",
                        "Task ids of this step at bfl: a, b");
    }

    @Test
    void anAbandonedStepListsItsSavedIdsAndTheTasksWithoutOne() {
        GenerationReport report = GenerationReport.abandoned(
                "bfl",
                "flux-kontext-max",
                3,
                List.of(StepCheckpointTest.task(3, "c"), StepCheckpointTest.task(1, "a")),
                "the agent did not come back");

        assertThat(report.tasks())
                .extracting(TaskRecord::state)
                .containsExactly(TaskState.ABANDONED, TaskState.SUBMIT_AMBIGUOUS, TaskState.ABANDONED);
        assertThat(report.taskIds()).containsExactly("a", "c");
        assertThat(report.toStepResult())
                .hasSize(3)
                .allSatisfy(m -> assertThat(m).containsEntry("path", null));
        assertThat(AbortLines.abandoned(report, "the agent did not come back"))
                .containsExactly(
                        "The step ended before its tasks did: the agent did not come back.",
                        "2 submitted task(s) may still run and be billed at bfl: a, c",
                        "1 task(s) without a saved id: their submit may have been on its way, so they may have been created"
                                + " and billed.");
        assertThat(GalleryEntry.of("p", false, report, java.time.Duration.ZERO, false)
                        .getTiles())
                .extracting(GalleryEntry.GalleryTile::getTaskId, GalleryEntry.GalleryTile::getStatus)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("a", "abandoned"),
                        org.assertj.core.groups.Tuple.tuple(null, "unclear if submitted"),
                        org.assertj.core.groups.Tuple.tuple("c", "abandoned"));
    }

    @Test
    void noTaskSavedSaysSo() {
        GenerationReport report = GenerationReport.abandoned("bfl", "m", 0, List.of(), "aborted");

        assertThat(AbortLines.abandoned(report, "aborted")).contains("No task was submitted.");
    }
}
