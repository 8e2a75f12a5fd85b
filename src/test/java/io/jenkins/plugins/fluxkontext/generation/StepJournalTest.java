package io.jenkins.plugins.fluxkontext.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.fluxkontext.agent.GenerationReport;
import io.jenkins.plugins.fluxkontext.agent.GenerationReport.TaskRecord;
import io.jenkins.plugins.fluxkontext.agent.GenerationReport.TaskState;
import io.jenkins.plugins.fluxkontext.agent.SavedTask;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The controller's side of the journal: checks, saves before returning, and keeps what an abort left. */
class StepJournalTest {

    private final StepCheckpoint checkpoint = StepCheckpointTest.checkpoint();
    private final List<List<String>> saves = new ArrayList<>();
    private final StepJournal journal = new StepJournal("bfl", 3, checkpoint, () -> saves.add(checkpoint.taskIds()));

    @Test
    void savesTheCheckpointWithTheTaskBeforeReturning() {
        journal.accepted(StepCheckpointTest.task(2, "b"));
        journal.accepted(StepCheckpointTest.task(1, "a"));

        assertThat(saves).containsExactly(List.of("b"), List.of("a", "b"));
        assertThat(checkpoint.taskIds()).containsExactly("a", "b");
    }

    @Test
    void theSameTaskTwiceIsFineAnotherIdForTheSameIndexIsRefused() {
        journal.accepted(StepCheckpointTest.task(1, "a"));
        journal.accepted(StepCheckpointTest.task(1, "a"));

        assertThatThrownBy(() -> journal.accepted(StepCheckpointTest.task(1, "other")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already accepted with id a");
        assertThat(checkpoint.taskIds()).containsExactly("a");
    }

    @Test
    void refusesTasksThatAreNotThisStepsAndEverythingAfterTheStepEnded() {
        assertThatThrownBy(() -> journal.accepted(new SavedTask("fal", "x", null, null, null, 1, 1, 1L)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("provider fal");
        assertThatThrownBy(() -> journal.accepted(StepCheckpointTest.task(4, "d")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("index 4");
        assertThatThrownBy(() -> journal.accepted(null)).isInstanceOf(IllegalArgumentException.class);

        journal.close();

        assertThatThrownBy(() -> journal.accepted(StepCheckpointTest.task(1, "a")))
                .isInstanceOf(IllegalStateException.class);
        assertThat(checkpoint.tasks()).isEmpty();
        assertThat(saves).isEmpty();
    }

    @Test
    void whenSavingFailsTheTaskIsKeptInMemoryAndTheAgentIsTold() {
        StepJournal failing = new StepJournal("bfl", 1, checkpoint, () -> {
            throw new IOException("disk full");
        });

        assertThatThrownBy(() -> failing.accepted(StepCheckpointTest.task(1, "a")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("in memory only")
                .hasMessageContaining("disk full");
        assertThat(checkpoint.taskIds()).containsExactly("a");
    }

    @Test
    void submitsMayBeOpenUntilEveryTaskHasAHandleOrAnEnding() {
        assertThat(journal.submitsMayBeOpen()).isTrue();
        journal.accepted(StepCheckpointTest.task(1, "a"));
        journal.accepted(StepCheckpointTest.task(2, "b"));
        assertThat(journal.submitsMayBeOpen()).isTrue();

        journal.ended(3); // refused before anything was created: no handle, but over
        assertThat(journal.submitsMayBeOpen()).isFalse();
        assertThat(journal.openCount()).isEqualTo(2);

        journal.ended(1);
        journal.ended(99);
        assertThat(journal.openCount()).isEqualTo(1);
        assertThat(journal.acceptedCount()).isEqualTo(2);
    }

    @Test
    void keepsTheFirstAbortReportAndHandsItToTheWaitingStep() throws Exception {
        assertThat(journal.awaitAbortReport(10, TimeUnit.MILLISECONDS)).isNull();
        GenerationReport report = new GenerationReport(
                "bfl",
                "flux-kontext-max",
                new ArrayList<>(),
                new ArrayList<>(List.of(new TaskRecord(
                        1, "a", TaskState.CANCELLED, "Task a was abandoned here", "MAYBE_BILLED", null))),
                null,
                null);

        journal.aborted(report, "Aborted; 1 submitted task(s) may still run and be billed: a");
        journal.aborted(report, "a second report is ignored");

        StepJournal.AbortReport got = journal.awaitAbortReport(1, TimeUnit.SECONDS);
        assertThat(got.report()).isSameAs(report);
        assertThat(got.summary()).endsWith("billed: a");
    }

    @Test
    void anAbortReportWithMoreTasksThanTheStepHasIsIgnored() throws Exception {
        ArrayList<TaskRecord> tasks = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            tasks.add(new TaskRecord(i, "t" + i, TaskState.CANCELLED, "m", "MAYBE_BILLED", null));
        }
        journal.aborted(new GenerationReport("bfl", "m", new ArrayList<>(), tasks, null, null), "s");

        assertThat(journal.awaitAbortReport(10, TimeUnit.MILLISECONDS)).isNull();
    }
}
