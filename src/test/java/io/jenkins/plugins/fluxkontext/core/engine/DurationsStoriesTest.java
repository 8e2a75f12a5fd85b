package io.jenkins.plugins.fluxkontext.core.engine;

import static io.jenkins.plugins.fluxkontext.core.harness.ScriptedBfl.status;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.fluxkontext.core.model.KontextModel;
import io.jenkins.plugins.fluxkontext.core.output.OutputPlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A provider that reports no progress is polled where its past tasks ended: what one run learns is kept in the cache
 * folder for the next, and the next places its first poll accordingly.
 */
class DurationsStoriesTest extends EngineStory {

    @TempDir
    Path cache;

    private String key() {
        return TaskDurations.key(job(prompt().build()).endpoint(), KontextModel.MAX);
    }

    @Test
    void whatARunLearnsIsKeptForTheNextRunAndHoldsNothingButDurations() throws Exception {
        replaceEngine(GenerationEngine.builder().taskDurations(TaskDurations.keptIn(cache)));
        bfl.onPoll(status("Pending"), status("Pending"), bfl.ready("task-1"));

        GenerationResult result = run(prompt().seed(3L).build());

        assertThat(result.allSucceeded()).isTrue();
        Path file = cache.resolve(TaskDurations.FILE_NAME);
        String kept = Files.readString(file);
        assertThat(kept).contains("\"bfl ", " flux-kontext-max\"").doesNotContain(KEY, "fox", "task-1", "delivery");
        ExpectedDuration next = TaskDurations.keptIn(cache).expected(key());
        assertThat(next.samples()).isEqualTo(1);
    }

    @Test
    void tasksThatTookAboutFiveSecondsAreFirstAskedForJustBeforeFiveSeconds() throws Exception {
        TaskDurations past = TaskDurations.inMemory();
        for (int i = 0; i < 60; i++) {
            past.record(key(), Duration.ofMillis(4800 + (i % 5) * 100));
        }
        replaceEngine(GenerationEngine.builder().taskDurations(past));
        bfl.onPoll(status("Pending"), bfl.ready("task-1"));

        run(prompt().build());

        assertThat(time.sleeps().get(0))
                .as("without history the first poll comes at 1.6 s")
                .isBetween(Duration.ofMillis(4600), Duration.ofMillis(5000));
        assertThat(time.sleeps().get(1)).as("then every 220 ms").isEqualTo(Duration.ofMillis(220));
    }

    @Test
    void aResumedRunTeachesNothing() throws Exception {
        TaskDurations durations = TaskDurations.inMemory();
        replaceEngine(GenerationEngine.builder().taskDurations(durations));
        bfl.onPoll(bfl.ready("task-1"));
        GenerationResult first = run(prompt().build());
        assertThat(durations.expected(key()).samples()).isEqualTo(1);

        GenerationResult resumed = recorded(() -> engine.resume(
                job(prompt().build(), OutputPlan.into(out.resolve("again"))),
                ResumePoint.of(first.handles(), time.instant()),
                events::add));

        assertThat(resumed.allSucceeded()).isTrue();
        assertThat(bfl.polls()).as("polled again").isEqualTo(2);
        assertThat(durations.expected(key()).samples())
                .as("an interruption of unknown length is no task's duration")
                .isEqualTo(1);
    }
}
