package io.jenkins.plugins.fluxkontext.steps;

import static io.jenkins.plugins.fluxkontext.testing.SecretTextCredentials.API_KEY;
import static io.jenkins.plugins.fluxkontext.testing.SecretTextCredentials.addSecretText;
import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Job;
import hudson.model.Result;
import hudson.model.Run;
import hudson.slaves.DumbSlave;
import io.jenkins.plugins.fluxkontext.action.FluxKontextAction;
import io.jenkins.plugins.fluxkontext.action.GalleryEntry;
import io.jenkins.plugins.fluxkontext.testing.BflServer;
import io.jenkins.plugins.fluxkontext.testing.PipelineOnAgent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * With a real Jenkins: a controller restart in the middle of polling, an abort, the {@code timeout} step, and an agent
 * that goes away while the step polls. Every build runs on the agent (the built-in node has no executors). The local BFL server keeps every task {@code Pending} until the test
 * releases it, and counts submits and polls: a task must be submitted exactly once whatever happens.
 *
 * <p>The restart uses {@code JenkinsRule#restart()} (same JENKINS_HOME, same JVM, so the server lives on), which the
 * signature list has; {@code JenkinsSessionExtension} cannot be declared in the stubs because its {@code Step} extends
 * {@code JenkinsSessionFixture.Step}, whose outer class the list lacks.
 */
@WithJenkins
class FluxKontextResumeStepTest {

    private JenkinsRule r;
    private BflServer bfl;
    private DumbSlave agent;

    @BeforeEach
    void setUp(JenkinsRule rule) throws Exception {
        r = rule;
        bfl = new BflServer();
        agent = PipelineOnAgent.startAgent(r);
        addSecretText("flux-key", API_KEY);
    }

    @AfterEach
    void tearDown() {
        bfl.close();
    }

    private String step(String extra) {
        return "fluxKontextGenerate(prompt: 'a red fox in the snow', credentialsId: 'flux-key', baseUrl: '"
                + bfl.baseUrl() + "'" + extra + ")";
    }

    private Job<?, ?> pipeline(String name, String body) throws Exception {
        return PipelineOnAgent.pipeline(r, name, """
                node {
                  echo "ws=${pwd()}"
                  %s
                }
                """.formatted(body));
    }

    @Test
    void aRestartWhilePollingResumesTheSameTaskAndSubmitsNothing() throws Throwable {
        bfl.hold();
        Job<?, ?> job = pipeline("restart", """
                def images = %s
                echo "ids=${images.collect { it.taskId }}"
                """.formatted(step("")));
        Run<?, ?> before = PipelineOnAgent.start(job);
        r.waitForMessage("submitted to bfl, task id task-1", before);
        // Polled: so its handle was saved with the program before (the journal returns only then).
        await(() -> bfl.pollsOf("task-1") > 0);
        Set<Thread> oldThreads = stepThreads();
        assertThat(oldThreads).as("the step works on a thread of its own").isNotEmpty();

        r.restart();
        bfl.release();

        Run<?, ?> b = PipelineOnAgent.job(r, "restart").getBuildByNumber(1);
        r.assertBuildStatus(Result.SUCCESS, r.waitForCompletion(b));
        PipelineOnAgent.assertRanOn(r, agent, b);
        assertEnded(oldThreads);
        // The old Jenkins' thread said nothing into the build the new one resumed.
        r.assertLogNotContains("Lost the connection to the agent", b);
        r.assertLogNotContains("may still run and be billed", b);
        assertThat(bfl.submitCount()).as("submits in the server's ledger").isEqualTo(1);
        r.assertLogContains("Resuming after a controller restart: 1 task is saved at bfl (task id task-1)", b);
        r.assertLogContains("ids=[task-1]", b);
        assertThat(b.getArtifacts()).extracting(a -> a.relativePath).contains("flux-kontext/flux-kontext-1-1.png");
        FluxKontextAction action = b.getAction(FluxKontextAction.class);
        assertThat(action.getEntries())
                .singleElement()
                .satisfies(e -> assertThat(e.getTiles())
                        .extracting(GalleryEntry.GalleryTile::getTaskId, GalleryEntry.GalleryTile::getStatus)
                        .containsExactly(org.assertj.core.groups.Tuple.tuple("task-1", "succeeded")));
        r.assertLogNotContains(API_KEY, b);
    }

    @Test
    void aRestartAfterTheResultExpiredFailsWithTheTaskIdAndSaysItWasBilledAndLost() throws Throwable {
        bfl.hold();
        Job<?, ?> job = pipeline("expired", step(""));
        Run<?, ?> before = PipelineOnAgent.start(job);
        r.waitForMessage("submitted to bfl, task id task-1", before);
        await(() -> bfl.pollsOf("task-1") > 0);
        Set<Thread> oldThreads = stepThreads();

        r.restart();
        bfl.endTasksWith(BflServer.Ending.EXPIRED);
        bfl.release();

        Run<?, ?> b = PipelineOnAgent.job(r, "expired").getBuildByNumber(1);
        r.assertBuildStatus(Result.FAILURE, r.waitForCompletion(b));
        PipelineOnAgent.assertRanOn(r, agent, b);
        assertEnded(oldThreads);
        assertThat(bfl.submitCount()).isEqualTo(1);
        r.assertLogContains("task-1", b);
        r.assertLogContains("The task was billed and its images are lost at the provider", b);
        assertThat(b.getAction(FluxKontextAction.class).getEntries().get(0).getTiles())
                .extracting(GalleryEntry.GalleryTile::getTaskId, GalleryEntry.GalleryTile::getStatus)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("task-1", "not found"));
    }

    @Test
    void anAbortStopsPollingLogsTheIdsThatMayStillBeBilledAndLeavesNoFile() throws Exception {
        bfl.hold();
        Job<?, ?> job = pipeline("abort", step(", count: 2"));
        Run<?, ?> b = PipelineOnAgent.start(job);
        r.waitForMessage("submitted to bfl, task id task-2", b);
        await(() -> bfl.pollsOf("task-1") > 0 && bfl.pollsOf("task-2") > 0);

        long stoppedAt = System.nanoTime();
        PipelineOnAgent.stop(b);
        r.waitForCompletion(b);

        assertThat(Duration.ofNanos(System.nanoTime() - stoppedAt)).isLessThan(Duration.ofSeconds(15));
        assertThat(b.getResult()).isEqualTo(Result.ABORTED);
        PipelineOnAgent.assertRanOn(r, agent, b);
        assertNoMorePolls();
        assertThat(bfl.submitCount()).isEqualTo(2);
        // BFL has no cancel call: both tasks may go on at the provider, and the log says which.
        r.assertLogContains("may still run and be billed: task-1, task-2", b);
        r.assertLogContains("Task ids of this step at bfl: task-1, task-2", b);
        assertThat(imagesIn(workspaceOf(b))).as("no partial file").isEmpty();
        assertThat(b.getAction(FluxKontextAction.class).getEntries().get(0).getTiles())
                .extracting(GalleryEntry.GalleryTile::getTaskId)
                .containsExactly("task-1", "task-2");
        assertThat(b.getArtifacts()).isEmpty();
    }

    @Test
    void theTimeoutStepStopsTheStepTheSameWay() throws Exception {
        bfl.hold();
        Job<?, ?> job = pipeline("timeout", "timeout(time: 15, unit: 'SECONDS') { " + step("") + " }");

        Run<?, ?> b = PipelineOnAgent.build(r, job, Result.ABORTED);

        PipelineOnAgent.assertRanOn(r, agent, b);
        assertNoMorePolls();
        assertThat(bfl.submitCount()).isEqualTo(1);
        r.assertLogContains("may still run and be billed: task-1", b);
        assertThat(imagesIn(workspaceOf(b))).isEmpty();
    }

    @Test
    void anAgentThatGoesAwayWhilePollingIsWaitedForAndTheImagesArriveWhenItIsBack() throws Exception {
        bfl.hold();
        Job<?, ?> job = pipeline("agent", step(""));
        Run<?, ?> b = PipelineOnAgent.start(job);
        r.waitForMessage("submitted to bfl, task id task-1", b);
        await(() -> bfl.pollsOf("task-1") > 0);

        PipelineOnAgent.disconnect(r, agent);
        r.waitForMessage("Waiting for the agent to come back", b);
        bfl.release();
        PipelineOnAgent.reconnect(r, agent);

        r.assertBuildStatus(Result.SUCCESS, r.waitForCompletion(b));
        PipelineOnAgent.assertRanOn(r, agent, b);
        assertThat(bfl.submitCount()).isEqualTo(1);
        r.assertLogContains("Lost the connection to the agent", b);
        assertThat(b.getArtifacts()).extracting(a -> a.relativePath).contains("flux-kontext/flux-kontext-1-1.png");
    }

    /** The steps' threads alive now (named by StepThreads). */
    private static Set<Thread> stepThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("FLUX.1 Kontext step"))
                .collect(Collectors.toSet());
    }

    /** Threads of the Jenkins before the restart end with it: none goes on working for the resumed step. */
    private static void assertEnded(Set<Thread> oldThreads) throws InterruptedException {
        for (Thread t : oldThreads) {
            t.join(Duration.ofSeconds(30).toMillis());
            assertThat(t.isAlive())
                    .as(t.getName() + " of the Jenkins before the restart")
                    .isFalse();
        }
    }

    /** Polls stop with the step: none arrives after it ended. */
    private void assertNoMorePolls() throws InterruptedException {
        int polls = bfl.pollCount();
        Thread.sleep(3000);
        assertThat(bfl.pollCount()).as("polls after the step ended").isEqualTo(polls);
    }

    /** The agent's workspace, from the {@code ws=} line (the test's agent runs on this machine). */
    private static Path workspaceOf(Run<?, ?> b) throws IOException {
        List<String> log = b.getLog(1000);
        return log.stream()
                .filter(l -> l.startsWith("ws="))
                .map(l -> Path.of(l.substring(3)))
                .findFirst()
                .orElseThrow();
    }

    /** Every file under the step's output folder, temporary ones included. */
    private static List<Path> imagesIn(Path workspace) throws IOException {
        Path out = workspace.resolve("flux-kontext");
        if (!Files.exists(out)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(out)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("timed out");
            }
            Thread.sleep(50);
        }
    }
}
