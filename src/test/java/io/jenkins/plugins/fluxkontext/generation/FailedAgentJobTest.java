package io.jenkins.plugins.fluxkontext.generation;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.AbortException;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.fluxkontext.action.FluxKontextAction;
import io.jenkins.plugins.fluxkontext.action.GalleryEntry;
import io.jenkins.plugins.fluxkontext.agent.SavedTask;
import io.jenkins.plugins.fluxkontext.core.task.TaskHandle;
import io.jenkins.plugins.fluxkontext.parameters.StepSettings;
import io.jenkins.plugins.fluxkontext.spending.ControllerSpending;
import io.jenkins.plugins.fluxkontext.testing.BflServer;
import io.jenkins.plugins.fluxkontext.testing.ControllerDefaults;
import io.jenkins.plugins.fluxkontext.testing.FreestyleJobs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * An agent job that breaks with an exception of no expected kind (a remoting fault, a defect in the job) after it may
 * have submitted. The Pipeline execution and the freestyle build steps both end it through
 * {@link SentRequest#agentJobFailed}: the saved task is named as possibly billed in the log and on the build page,
 * and the estimate is charged to the job instead of staying held against the limits. No provider answer makes the
 * agent job throw such an exception, so the test hands one to the ending itself, on a real build.
 */
@WithJenkins
class FailedAgentJobTest {

    private BflServer bfl;

    @BeforeEach
    void start(JenkinsRule r) throws Exception {
        bfl = new BflServer();
        ControllerDefaults.useKeyAndLocalBfl(bfl);
    }

    @AfterEach
    void stop() {
        bfl.close();
    }

    @Test
    void aBrokenAgentJobChargesTheEstimateAndNamesItsSavedTaskAsPossiblyBilled(JenkinsRule r) throws Exception {
        Run<?, ?> build = FreestyleJobs.build(r, FreestyleJobs.withSteps(r, "broken-agent-job"), Result.SUCCESS);
        ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
        PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
        TaskListener listener = () -> log;
        StepSettings settings = bfl.generateSettings(1);

        PreparedRequest prepared = ImageGeneration.prepare(build, listener, settings, false);
        StepCheckpoint checkpoint = new StepCheckpoint(settings);
        checkpoint.agentJobSent(Instant.now());
        new StepJournal("bfl", 1, checkpoint, () -> {})
                .accepted(SavedTask.of(
                        TaskHandle.of("bfl", "task-7", bfl.baseUrl() + "/v1/get_result?id=task-7", 0, Instant.now())));
        SentRequest sent = new SentRequest(build, listener, settings, prepared, checkpoint, Instant.now());
        AbortException failure;
        try {
            failure = sent.agentJobFailed(new IllegalStateException("a defect in the agent job"));
        } finally {
            prepared.releaseSlot();
        }

        assertThat(failure.getMessage()).contains("The agent job failed").contains("a defect in the agent job");
        assertThat(logBytes.toString(StandardCharsets.UTF_8))
                .contains("1 submitted task(s) may still run and be billed at bfl: task-7");
        assertThat(FluxKontextAction.of(build).getEntries())
                .hasSize(1)
                .flatExtracting(GalleryEntry::getTiles)
                .extracting(GalleryEntry.GalleryTile::getTaskId)
                .containsExactly("task-7");
        assertThat(ControllerSpending.get().spentByJob("broken-agent-job"))
                .as("the estimate is charged, not left held")
                .isEqualByComparingTo("0.08");
    }
}
