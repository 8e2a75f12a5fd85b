package io.jenkins.plugins.fluxkontext.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.fluxkontext.agent.GenerationReport.TaskRecord;
import io.jenkins.plugins.fluxkontext.agent.GenerationReport.TaskState;
import io.jenkins.plugins.fluxkontext.config.ControllerProxy;
import io.jenkins.plugins.fluxkontext.core.engine.GenerationAbortedException;
import io.jenkins.plugins.fluxkontext.core.provider.ApiKey;
import io.jenkins.plugins.fluxkontext.core.proxy.ProxySettings;
import io.jenkins.plugins.fluxkontext.parameters.StepSettings;
import io.jenkins.plugins.fluxkontext.testing.BflServer;
import io.jenkins.plugins.fluxkontext.testing.RecordingProxy;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent job against a local server speaking BFL, in plain Java: each accepted task reaches the journal, and is
 * saved there, before its first status request; an abort tells the journal what it left behind and leaves no file; a
 * resume polls the saved tasks and submits nothing; an expired result comes back billed and lost, with its id.
 */
class AgentJobTest {

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

    private String log() {
        return logBytes.toString(StandardCharsets.UTF_8);
    }

    /** A journal that records what it is told, and the server's polls of a task when the task is accepted. */
    final class RecordingJournal implements TaskJournal {
        final List<SavedTask> accepted = new CopyOnWriteArrayList<>();
        final List<Integer> pollsWhenAccepted = new CopyOnWriteArrayList<>();
        final List<Integer> ended = new CopyOnWriteArrayList<>();
        final AtomicReference<GenerationReport> abortReport = new AtomicReference<>();
        final AtomicReference<String> abortSummary = new AtomicReference<>();

        @Override
        public void accepted(SavedTask task) {
            pollsWhenAccepted.add(bfl.pollsOf(task.taskId()));
            accepted.add(task);
        }

        @Override
        public void ended(int index) {
            ended.add(index);
        }

        @Override
        public void aborted(GenerationReport report, String summary) {
            abortReport.set(report);
            abortSummary.set(summary);
        }
    }

    @Test
    void eachAcceptedTaskReachesTheJournalBeforeItsFirstPoll() throws Exception {
        RecordingJournal journal = new RecordingJournal();

        GenerationReport report = new AgentJob(settings(2), KEY, journal, "job-1", null, 0).run(workspace, log);

        assertThat(journal.accepted).extracting(SavedTask::taskId).containsExactlyInAnyOrder("task-1", "task-2");
        assertThat(journal.pollsWhenAccepted).containsOnly(0);
        assertThat(journal.accepted).allSatisfy(t -> {
            assertThat(t.provider()).isEqualTo("bfl");
            assertThat(t.pollingUrl()).startsWith(bfl.baseUrl() + "/v1/get_result?id=task-");
        });
        assertThat(journal.ended).containsExactlyInAnyOrder(1, 2);
        assertThat(report.images()).hasSize(2);
        assertThat(bfl.submitCount()).isEqualTo(2);
    }

    @Test
    void theControllersProxyCarriesEveryCallAndItsPasswordStaysOutOfTheLog() throws Exception {
        String password = "proxy-pw-S3CRET";
        try (RecordingProxy proxy = new RecordingProxy().requireCredentials("jenkins", password)) {
            ProxySettings controllerProxy =
                    ControllerProxy.settings(proxy.host(), proxy.port(), "*.corp.example", "jenkins", password);

            GenerationReport report = new AgentJob(settings(1), KEY, new RecordingJournal(), "job-proxy", null, 0)
                    .through(controllerProxy)
                    .run(workspace, log);

            assertThat(report.images()).hasSize(1);
            assertThat(proxy.requestLines)
                    .contains(
                            "POST " + bfl.baseUrl() + "/v1/flux-kontext-max HTTP/1.1",
                            "GET " + bfl.baseUrl() + "/v1/get_result?id=task-1 HTTP/1.1",
                            "GET " + bfl.baseUrl() + "/delivery/task-1.png?se=2030&sig=SIGNED HTTP/1.1");
            assertThat(bfl.submitCount()).isEqualTo(1);
            assertThat(log())
                    .contains("Calls go through the controller's HTTP proxy http://" + proxy.host() + ":" + proxy.port()
                            + " as jenkins, not for *.corp.example")
                    .doesNotContain(password);
        }
    }

    @Test
    void anAbortTellsTheJournalWhatMayStillBeBilledAndLeavesNoFileThenAResumeSubmitsNothing() throws Exception {
        bfl.hold();
        RecordingJournal journal = new RecordingJournal();
        StepSettings settings = settings(2);
        Instant startedAt = Instant.now();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread agent = new Thread(() -> {
            try {
                new AgentJob(settings, KEY, journal, "job-2", null, 0).run(workspace, log);
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        agent.start();
        awaitTrue(() -> bfl.pollsOf("task-1") > 0 && bfl.pollsOf("task-2") > 0);

        long abortAt = System.nanoTime();
        agent.interrupt();
        agent.join(10_000);

        assertThat(agent.isAlive()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - abortAt)).isLessThan(Duration.ofSeconds(2));
        assertThat(thrown.get()).isInstanceOf(GenerationAbortedException.class);
        assertThat(journal.abortSummary.get())
                .contains("may still run and be billed")
                .contains("task-1", "task-2");
        assertThat(journal.abortReport.get().tasks())
                .extracting(TaskRecord::state)
                .containsOnly(TaskState.CANCELLED);
        assertThat(journal.abortReport.get().taskIds()).containsExactlyInAnyOrder("task-1", "task-2");
        assertThat(filesUnder(workspace)).isEmpty();
        int pollsAfterAbort = bfl.pollCount();
        Thread.sleep(1500);
        assertThat(bfl.pollCount()).as("no poll after the abort").isEqualTo(pollsAfterAbort);

        bfl.release();
        RecordingJournal resumed = new RecordingJournal();
        GenerationReport report = new AgentJob(
                        settings, KEY, resumed, "job-2", journal.accepted, startedAt.toEpochMilli())
                .run(workspace, log);

        assertThat(bfl.submitCount()).isEqualTo(2);
        assertThat(resumed.accepted).isEmpty();
        assertThat(report.images())
                .extracting(GenerationReport.ImageRecord::taskId)
                .containsExactlyInAnyOrder("task-1", "task-2");
        assertThat(report.images())
                .extracting(GenerationReport.ImageRecord::path)
                .containsExactlyInAnyOrder("flux-kontext/flux-kontext-7-1.png", "flux-kontext/flux-kontext-7-2.png");
    }

    @Test
    void aTaskWithoutASavedHandleIsNeverSentAgain() throws Exception {
        SavedTask first = new SavedTask(
                "bfl",
                "task-9",
                bfl.baseUrl() + "/v1/get_result?id=task-9",
                null,
                null,
                1,
                1,
                Instant.now().toEpochMilli());

        GenerationReport report = new AgentJob(
                        settings(2),
                        KEY,
                        new RecordingJournal(),
                        "job-4",
                        List.of(first),
                        Instant.now().toEpochMilli())
                .run(workspace, log);

        assertThat(bfl.submitCount()).isZero();
        assertThat(report.tasks())
                .extracting(TaskRecord::state)
                .containsExactly(TaskState.SUCCEEDED, TaskState.SUBMIT_AMBIGUOUS);
        Map<String, Object> unclear = report.toStepResult().get(1);
        assertThat(unclear).containsEntry("path", null).containsEntry("status", "unclear if submitted");
    }

    @Test
    void h05_aNameTakenInTheWorkspaceIsRefusedAsNothingSubmittedSoTheStepGivesItsReservationBack() throws Exception {
        Files.createDirectories(workspace.resolve("flux-kontext"));
        Files.writeString(workspace.resolve("flux-kontext/flux-kontext-7-1.png"), "an earlier image");

        assertThatThrownBy(() ->
                        new AgentJob(settings(1), KEY, new RecordingJournal(), "job-h05", null, 0).run(workspace, log))
                .isInstanceOf(AgentJob.RefusedBeforeSubmit.class)
                .hasMessageContaining("flux-kontext-7-1.png");
        assertThat(bfl.requestCount()).isZero();
    }

    @Test
    void h07_anOutputFolderWhoseParentLinksOutOfTheWorkspaceIsRefusedBeforeAnythingIsSent(@TempDir Path outside)
            throws Exception {
        Files.createSymbolicLink(workspace.resolve("assets"), outside);
        StepSettings settings = settings(1).outputDir("assets/images");

        assertThatThrownBy(() ->
                        new AgentJob(settings, KEY, new RecordingJournal(), "job-h07", null, 0).run(workspace, log))
                .isInstanceOf(AgentJob.RefusedBeforeSubmit.class)
                .hasMessageContaining("assets")
                .hasMessageContaining("symbolic link");
        assertThat(bfl.requestCount()).isZero();
        assertThat(filesUnder(outside)).isEmpty();
        assertThat(outside.resolve("images")).doesNotExist();
    }

    @Test
    void h11_anInputImageThatIsNotAUrlIsRefusedAsNothingSubmittedNamingIt() throws Exception {
        StepSettings settings = StepSettings.edit("add snow", List.of("http://bad host/x.png"))
                .credentialsId("flux-key")
                .provider("bfl")
                .baseUrl(bfl.baseUrl())
                .filePrefix("flux-kontext-7");

        assertThatThrownBy(() ->
                        new AgentJob(settings, KEY, new RecordingJournal(), "job-h11", null, 0).run(workspace, log))
                .isInstanceOf(AgentJob.RefusedBeforeSubmit.class)
                .hasMessageContaining("http://bad host/x.png");
        assertThat(bfl.requestCount()).isZero();
    }

    @Test
    void aRequestRefusedOnTheAgentLeavesNoCopiesOfEarlierBuildsImagesInTheWorkspace() throws Exception {
        Path staged = Files.createDirectories(workspace.resolve("flux-kontext/.flux-kontext-reuse-job-refused"));
        Files.writeString(staged.resolve("flux-kontext-3-1.png"), "a copy of build #3's image");
        StepSettings settings = StepSettings.edit("add snow", List.of("in\u0000.png"))
                .credentialsId("flux-key")
                .provider("bfl")
                .baseUrl(bfl.baseUrl())
                .filePrefix("flux-kontext-7")
                .reuseFolder("flux-kontext/.flux-kontext-reuse-job-refused");

        assertThatThrownBy(() ->
                        new AgentJob(settings, KEY, new RecordingJournal(), "job-refused", null, 0).run(workspace, log))
                .isInstanceOf(AgentJob.RefusedBeforeSubmit.class);
        assertThat(staged).doesNotExist();
        assertThat(bfl.requestCount()).isZero();
    }

    private static List<Path> filesUnder(Path root) throws Exception {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("timed out");
            }
            Thread.sleep(20);
        }
    }
}
