package io.jenkins.plugins.fluxkontext.generation;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.fluxkontext.agent.AgentJob;
import io.jenkins.plugins.fluxkontext.agent.GenerationReport;
import io.jenkins.plugins.fluxkontext.agent.GenerationReport.TaskRecord;
import io.jenkins.plugins.fluxkontext.agent.GenerationReport.TaskState;
import io.jenkins.plugins.fluxkontext.agent.SavedTask;
import io.jenkins.plugins.fluxkontext.agent.TaskJournal;
import io.jenkins.plugins.fluxkontext.core.provider.ApiKey;
import io.jenkins.plugins.fluxkontext.parameters.ModerationPolicy;
import io.jenkins.plugins.fluxkontext.parameters.StepSettings;
import io.jenkins.plugins.fluxkontext.testing.BflServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controller's side of an agent job against a local server speaking BFL, in plain Java: the step's journal has
 * saved each accepted task before the agent polls it, and a result that expired meanwhile fails the build naming its
 * task id.
 */
class AgentJobOnTheControllerTest {

    private static final ApiKey KEY = ApiKey.of("bfl-sk-agent-job-test");

    @TempDir
    Path workspace;

    private BflServer bfl;
    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);

    @BeforeEach
    void startServer() throws Exception {
        bfl = new BflServer();
    }

    @AfterEach
    void stopServer() {
        bfl.close();
    }

    private StepSettings settings(int count) {
        return bfl.generateSettings(count);
    }

    /** A journal that takes whatever the agent tells it, for a job whose journal is not under test. */
    static final class AcceptingJournal implements TaskJournal {

        @Override
        public void accepted(SavedTask task) {}

        @Override
        public void ended(int index) {}

        @Override
        public void aborted(GenerationReport report, String summary) {}
    }

    @Test
    void theStepJournalHasSavedTheTaskWhenTheAgentGoesOn() throws Exception {
        StepCheckpoint checkpoint = new StepCheckpoint(settings(1));
        List<String> savedBeforeFirstPoll = new ArrayList<>();
        StepJournal journal = new StepJournal("bfl", 1, checkpoint, () -> {
            for (SavedTask t : checkpoint.tasks()) {
                if (bfl.pollsOf(t.taskId()) == 0) {
                    savedBeforeFirstPoll.add(t.taskId());
                }
            }
        });

        new AgentJob(settings(1), KEY, journal, checkpoint.jobKey(), null, 0).run(workspace, log);

        assertThat(savedBeforeFirstPoll).containsExactly("task-1");
        assertThat(checkpoint.taskIds()).containsExactly("task-1");
    }

    @Test
    void aResultThatExpiredMeanwhileComesBackBilledAndLostWithItsTaskId() throws Exception {
        bfl.endTasksWith(BflServer.Ending.EXPIRED);
        SavedTask saved = new SavedTask(
                "bfl",
                "gone-1",
                bfl.baseUrl() + "/v1/get_result?id=gone-1",
                null,
                null,
                1,
                1,
                Instant.now().minusSeconds(30).toEpochMilli());

        GenerationReport report = new AgentJob(
                        settings(1),
                        KEY,
                        new AcceptingJournal(),
                        "job-3",
                        List.of(saved),
                        Instant.now().minusSeconds(30).toEpochMilli())
                .run(workspace, log);

        assertThat(bfl.submitCount()).isZero();
        TaskRecord task = report.tasks().get(0);
        assertThat(task.state()).isEqualTo(TaskState.NOT_FOUND);
        assertThat(task.billing()).isEqualTo("BILLED");
        assertThat(task.message()).contains("gone-1").contains("billed").contains("lost");
        assertThat(report.toStepResult())
                .singleElement()
                .satisfies(m -> assertThat(m)
                        .containsEntry("path", null)
                        .containsEntry("taskId", "gone-1")
                        .containsEntry("status", "not found")
                        .containsEntry("billing", "BILLED"));
        assertThat(BuildVerdict.of(report, ModerationPolicy.FAILURE).message()).contains("gone-1");
    }
}
