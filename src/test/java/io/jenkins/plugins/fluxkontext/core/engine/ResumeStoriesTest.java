package io.jenkins.plugins.fluxkontext.core.engine;

import static io.jenkins.plugins.fluxkontext.core.harness.ScriptedBfl.json;
import static io.jenkins.plugins.fluxkontext.core.harness.ScriptedBfl.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.fluxkontext.core.harness.BackgroundBuild;
import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
import io.jenkins.plugins.fluxkontext.core.task.Billing;
import io.jenkins.plugins.fluxkontext.core.task.TaskHandle;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

/**
 * A run cut short (controller restart, agent gone, abort) and taken up again with {@link GenerationEngine#resume}:
 * never a second submit.
 */
class ResumeStoriesTest extends EngineStory {

    // ---- resume -----------------------------------------------------------------------------------------------

    @Test
    void afterARestartTheSameTasksArePolledAndDownloadedWithoutASecondSubmit() throws Exception {
        holdPollsUntilReleased();
        Instant startedAt = time.instant();
        // What the plugin does: save each handle when Submitted arrives, before anything else happens to the task.
        Map<Integer, TaskHandle> saved = new ConcurrentHashMap<>();
        List<String> pollsBeforeSaving = new CopyOnWriteArrayList<>();
        GenerationRequest request = prompt().count(2).seed(40L).build();
        BackgroundBuild original = BackgroundBuild.start(() -> engine.run(job(request), event -> {
            events.add(event);
            if (event instanceof ProgressEvent.Submitted submitted) {
                pollsBeforeSaving.add(submitted.handle().taskId() + ":"
                        + pollsOf(submitted.handle().taskId()));
                saved.put(submitted.index(), submitted.handle());
            }
        }));
        waitUntil(() -> bfl.polls() == 4);
        // The controller goes down: the run's thread dies with it, and whatever it would have returned is lost.
        original.interruptAndJoin();
        engine.close();
        assertThat(pollsBeforeSaving)
                .as("each handle was known before its first status request")
                .containsExactlyInAnyOrder("task-1:0", "task-2:0");

        released = true;
        engine = engine(GenerationEngine.builder());
        GenerationResult resumed = resume(job(request), ResumePoint.of(List.copyOf(saved.values()), startedAt));

        assertThat(resumed.allSucceeded()).as(resumed.failures().toString()).isTrue();
        assertThat(bfl.submits()).as("one submit per task, ever").isEqualTo(2);
        assertThat(resumed.taskIds()).containsExactlyInAnyOrder("task-1", "task-2");
        assertThat(imageFiles())
                .as("the names the original run would have given")
                .containsExactly("flux-kontext-1.png", "flux-kontext-2.png");
        assertThat(resumed.images()).extracting(i -> i.seed()).containsExactly(777L, 777L);
        assertThat(filesInOutput()).noneMatch(n -> n.endsWith(".part"));
        assertThat(events(ProgressEvent.Submitted.class))
                .as("a resume reports no new submit")
                .hasSize(2);
    }

    @Test
    void aRunInterruptedMidPollIsResumedFromItsAbortedResult() throws Exception {
        holdPollsUntilReleased();
        Instant startedAt = time.instant();
        GenerationRequest request = prompt().count(2).build();
        BackgroundBuild original = BackgroundBuild.start(() -> run(request));
        waitUntil(() -> bfl.polls() == 4);

        GenerationAbortedException aborted = original.interruptAndJoin();

        seen.add(aborted.getMessage());
        assertThat(aborted.result().handles())
                .extracting(TaskHandle::taskId)
                .containsExactlyInAnyOrder("task-1", "task-2");
        assertThat(aborted.result().taskIds()).containsExactlyInAnyOrder("task-1", "task-2");
        assertThat(filesInOutput()).isEmpty();

        // The agent is back: the same workspace, the same engine, the handles from the aborted result.
        released = true;
        GenerationResult resumed = resume(job(request), ResumePoint.after(aborted.result(), startedAt));

        assertThat(resumed.allSucceeded()).as(resumed.failures().toString()).isTrue();
        assertThat(imageFiles()).containsExactly("flux-kontext-1.png", "flux-kontext-2.png");
        List<RecordedRequest> posts = bfl.requests().stream()
                .filter(r -> r.getMethod().equals("POST"))
                .toList();
        assertThat(posts).as("exactly one POST per task in the server's log").hasSize(2);
        assertThat(bfl.created()).isEqualTo(2);
    }

    @Test
    void aResultThatExpiredMeanwhileIsReportedLostAndBilledWithItsTaskId() throws Exception {
        bfl.onPoll(status("Task not found"));
        TaskHandle handle = handle("task-77", 1, Duration.ofMinutes(25));

        GenerationResult result = resume(job(prompt().build()), ResumePoint.of(List.of(handle), null));

        assertThat(result.outcomes()).singleElement().isInstanceOfSatisfying(TaskOutcome.NotFound.class, lost -> {
            assertThat(lost.taskId()).isEqualTo("task-77");
            assertThat(lost.billing()).isEqualTo(Billing.BILLED);
            assertThat(lost.message())
                    .contains("task-77", "expired", "billed", "lost at the provider", "not submitted again");
        });
        assertThat(result.taskIds()).containsExactly("task-77");
        assertThat(bfl.submits()).isZero();
        assertThat(imageFiles()).isEmpty();
    }

    @Test
    void aSignedLinkThatExpiredMeanwhileIsReportedLostAndBilled() throws Exception {
        // Ready, but the 10-minute link is dead, and asking again gives the same dead link.
        bfl.onDownload(
                json(403, "<Error>AuthenticationFailed</Error>"), json(403, "<Error>AuthenticationFailed</Error>"));
        TaskHandle handle = handle("task-5", 1, Duration.ofMinutes(12));

        GenerationResult result = resume(job(prompt().build()), ResumePoint.of(List.of(handle), null));

        assertThat(result.outcomes()).singleElement().isInstanceOfSatisfying(TaskOutcome.NotFound.class, lost -> {
            assertThat(lost.billing()).isEqualTo(Billing.BILLED);
            assertThat(lost.message())
                    .contains("task-5", "HTTP 403", "billed", "lost")
                    .doesNotContain("SIGNATURE");
        });
        assertThat(bfl.submits()).isZero();
        assertThat(filesInOutput()).noneMatch(n -> n.endsWith(".png") || n.endsWith(".part"));
    }

    @Test
    void tasksThatFailedOrWereModeratedMeanwhileEndAsSuch() throws Exception {
        bfl.onPoll(
                (id, n) -> id.equals("task-1")
                        ? status("Content Moderated")
                        : json(
                                200,
                                "{\"id\":\"task-2\",\"status\":\"Error\",\"result\":null,\"details\":{\"error\":\"GPU fault\"}}"));
        GenerationJob job = job(prompt().count(2).build());

        GenerationResult result = resume(
                job,
                ResumePoint.of(
                        List.of(handle("task-1", 1, Duration.ofMinutes(1)), handle("task-2", 2, Duration.ofMinutes(1))),
                        null));

        assertThat(result.outcomes()).hasSize(2);
        assertThat(result.outcomes().get(0))
                .isInstanceOfSatisfying(
                        TaskOutcome.Moderated.class,
                        m -> assertThat(m.side()).isEqualTo(TaskOutcome.ModerationSide.OUTPUT));
        assertThat(result.outcomes().get(1))
                .isInstanceOfSatisfying(
                        TaskOutcome.Failed.class, f -> assertThat(f.message()).contains("task-2"));
        assertThat(bfl.submits()).isZero();
        assertThat(bfl.downloads()).isZero();
    }

    @Test
    void tasksWithoutAHandleAreNeverSubmittedOnResume() throws Exception {
        GenerationJob job = job(prompt().count(3).build());

        GenerationResult result = resume(
                job,
                new ResumePoint(
                        List.of(handle("task-1", 1, Duration.ofSeconds(20))),
                        time.instant().minusSeconds(30),
                        Set.of(3)));

        assertThat(result.outcomes().get(0).succeeded()).isTrue();
        assertThat(result.outcomes().get(1)).isInstanceOfSatisfying(TaskOutcome.SubmitAmbiguous.class, a -> {
            assertThat(a.billing()).isEqualTo(Billing.MAYBE_BILLED);
            assertThat(a.message()).contains("no task id was recorded", "not sent again");
        });
        assertThat(result.outcomes().get(2)).isInstanceOfSatisfying(TaskOutcome.NotSubmitted.class, n -> {
            assertThat(n.billing()).isEqualTo(Billing.NOT_BILLED);
            assertThat(n.message()).contains("resuming never submits");
        });
        assertThat(bfl.submits()).isZero();
        assertThat(imageFiles()).containsExactly("flux-kontext-1.png");
    }

    @Test
    void imagesTheInterruptedRunAlreadyWroteAreTakenFromDiskWithoutARequest() throws Exception {
        GenerationResult first = run(prompt().count(2).build());
        assertThat(first.allSucceeded()).isTrue();
        int requestsBefore = bfl.requests().size();

        GenerationResult resumed = resume(job(prompt().count(2).build()), ResumePoint.after(first, null));

        assertThat(resumed.allSucceeded()).isTrue();
        assertThat(bfl.requests()).as("nothing asked again").hasSize(requestsBefore);
        assertThat(resumed.images())
                .extracting(i -> i.file().getFileName().toString())
                .containsExactly("flux-kontext-1.png", "flux-kontext-2.png");
        assertThat(resumed.images())
                .extracting(i -> i.sha256())
                .containsExactlyElementsOf(
                        first.images().stream().map(i -> i.sha256()).toList());
        assertThat(imageFiles()).as("no second copy").containsExactly("flux-kontext-1.png", "flux-kontext-2.png");
    }

    @Test
    void theDeadlineOfAResumedJobCountsFromTheOriginalStart() throws Exception {
        Instant startedAt =
                time.instant().minus(GenerationEngine.DEFAULT_TOTAL_TIMEOUT).minusSeconds(60);

        GenerationResult result = resume(
                job(prompt().build()), ResumePoint.of(List.of(handle("task-9", 1, Duration.ofMinutes(10))), startedAt));

        assertThat(result.outcomes())
                .singleElement()
                .isInstanceOfSatisfying(
                        TaskOutcome.TimedOut.class,
                        t -> assertThat(t.message()).contains("task-9", "may still finish and be billed"));
        assertThat(bfl.requests())
                .as("nothing sent once the deadline has passed")
                .isEmpty();
    }

    @Test
    void aHandleOfAnotherProviderOrIndexIsRefusedBeforeAnythingIsSent() {
        TaskHandle fal = new TaskHandle("fal", "req-1", null, null, null, 1, 1, time.instant());
        TaskHandle outside = handle("task-3", 3, Duration.ZERO);

        assertThatThrownBy(() -> resume(job(prompt().build()), ResumePoint.of(List.of(fal), null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fal");
        assertThatThrownBy(() -> resume(job(prompt().build()), ResumePoint.of(List.of(outside), null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("index 3");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void aResumePointSurvivesSerializationAndHoldsNoSecret() throws Exception {
        ResumePoint point = new ResumePoint(List.of(handle("task-1", 1, Duration.ZERO)), time.instant(), Set.of(2));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(point);
        }
        Object back;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            back = in.readObject();
        }

        assertThat(back).isEqualTo(point);
        assertThat(new String(bytes.toByteArray(), StandardCharsets.ISO_8859_1)).doesNotContain(KEY);
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    GenerationResult resume(GenerationJob job, ResumePoint point) throws InterruptedException {
        return recorded(() -> engine.resume(job, point, events::add));
    }

    /** A handle as the plugin would have saved it: task {@code id} at this fake BFL, submitted {@code ago}. */
    private TaskHandle handle(String id, int index, Duration ago) {
        return TaskHandle.of(
                "bfl",
                id,
                server.url("/v1/get_result?id=" + id).toString(),
                index,
                time.instant().minus(ago));
    }

    private long pollsOf(String taskId) {
        return bfl.requests().stream()
                .filter(r -> r.getUrl().encodedPath().equals("/v1/get_result")
                        && taskId.equals(r.getUrl().queryParameter("id")))
                .count();
    }
}
