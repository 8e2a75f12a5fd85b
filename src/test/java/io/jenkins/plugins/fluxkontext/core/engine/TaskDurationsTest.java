package io.jenkins.plugins.fluxkontext.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Past task durations, kept in a small file in a cache folder: across engines and processes, robust to a corrupt
 * file and to writers that save at the same time, and harmless when the folder cannot be written.
 */
class TaskDurationsTest {

    private static final String KEY = "bfl api.bfl.ai flux-kontext-max";

    @TempDir
    Path cache;

    @Test
    void durationsSavedByOneRunAreWhatTheNextRunExpects() {
        TaskDurations first = TaskDurations.keptIn(cache);
        assertThat(first.expected(KEY)).as("nothing seen yet").isEqualTo(ExpectedDuration.PRIOR);
        for (long ms : new long[] {4000, 5000, 6000, 5500, 4500, 5200, 4800, 5100}) {
            first.record(KEY, Duration.ofMillis(ms));
        }
        assertThat(first.save()).isTrue();

        ExpectedDuration next = TaskDurations.keptIn(cache).expected(KEY);

        assertThat(next.samples()).isEqualTo(8);
        // Eight tasks around 5 s pull the prior's 8 s median most of the way down; the prior still widens them.
        assertThat(next.median()).isBetween(Duration.ofMillis(5500), Duration.ofMillis(6500));
        assertThat(next.logSpread()).isGreaterThan(0.3);
        assertThat(TaskDurations.keptIn(cache).expected("fal queue.fal.run flux-kontext-max"))
                .as("another provider's tasks are not these")
                .isEqualTo(ExpectedDuration.PRIOR);
    }

    @Test
    void aHundredTasksOutweighThePrior() {
        TaskDurations durations = TaskDurations.inMemory();
        for (int i = 0; i < 100; i++) {
            durations.record(KEY, Duration.ofMillis(1900 + (i % 5) * 50));
        }
        ExpectedDuration expected = durations.expected(KEY);
        assertThat(expected.median()).isBetween(Duration.ofMillis(1950), Duration.ofMillis(2200));
        assertThat(expected.quantileMillis(0.015)).isGreaterThan(1000);
        assertThat(durations.save()).as("nothing to keep it in").isFalse();
    }

    @Test
    void aCorruptFileCountsAsEmptyAndIsRewrittenWhole() throws Exception {
        Files.writeString(cache.resolve(TaskDurations.FILE_NAME), "{\"durations\":{\"" + KEY + "\":{\"ms\":[1,2,");

        TaskDurations durations = TaskDurations.keptIn(cache);
        assertThat(durations.expected(KEY)).isEqualTo(ExpectedDuration.PRIOR);
        durations.record(KEY, Duration.ofSeconds(3));
        assertThat(durations.save()).isTrue();

        JsonNode file = new ObjectMapper()
                .readTree(cache.resolve(TaskDurations.FILE_NAME).toFile());
        assertThat(file.at("/durations/" + KEY.replace("/", "~1") + "/ms").toString())
                .isEqualTo("[3000]");
    }

    @Test
    void valuesThatAreNoTasksDurationAreDropped() throws Exception {
        Files.writeString(
                cache.resolve(TaskDurations.FILE_NAME),
                "{\"version\":1,\"durations\":{\"" + KEY + "\":{\"updated\":1,\"ms\":[-5,\"x\",0,99999999999,2500]}}}");

        assertThat(TaskDurations.keptIn(cache).expected(KEY).samples()).isEqualTo(1);
    }

    @Test
    void aFolderThatCannotBeWrittenLeavesTheDurationsInMemory() throws Exception {
        Path notAFolder = Files.writeString(cache.resolve("occupied"), "a file where the folder should be");
        TaskDurations durations = TaskDurations.keptIn(notAFolder.resolve("flux-kontext"));

        durations.record(KEY, Duration.ofSeconds(2));

        assertThat(durations.save()).isFalse();
        assertThat(durations.expected(KEY).samples()).isEqualTo(1);
    }

    @Test
    void runsSavingAtTheSameTimeLoseNoDuration() throws Exception {
        int writers = 8;
        int each = 20;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Boolean>> saved = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                saved.add(pool.submit(() -> {
                    TaskDurations run = TaskDurations.keptIn(cache);
                    for (int i = 0; i < each; i++) {
                        run.record(KEY, Duration.ofMillis(1000 + writer));
                    }
                    start.await();
                    return run.save();
                }));
            }
            start.countDown();
            for (Future<Boolean> s : saved) {
                assertThat(s.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(TaskDurations.keptIn(cache).expected(KEY).samples()).isEqualTo(writers * each);
    }

    @Test
    void onlyTheMostRecentDurationsAreKept() {
        TaskDurations durations = TaskDurations.keptIn(cache);
        for (int i = 0; i < TaskDurations.MAX_SAMPLES + 50; i++) {
            durations.record(KEY, Duration.ofMillis(i < 50 ? 60_000 : 2000));
        }
        durations.save();

        ExpectedDuration kept = TaskDurations.keptIn(cache).expected(KEY);
        assertThat(kept.samples()).isEqualTo(TaskDurations.MAX_SAMPLES);
        assertThat(kept.quantileMillis(0.995))
                .as("the old minute-long tasks are gone")
                .isLessThan(30_000);
    }

    @Test
    void theCacheFolderIsThePerUserOneOfThePlatform() {
        assertThat(TaskDurations.userCacheFolder(Map.of("XDG_CACHE_HOME", "/tmp/xdg", "HOME", "/home/u")))
                .isEqualTo(Path.of("/tmp/xdg/flux-kontext"));
        assertThat(TaskDurations.userCacheFolder(Map.of("HOME", "/home/u")))
                .isEqualTo(Path.of("/home/u/.cache/flux-kontext"));
        assertThat(TaskDurations.userCacheFolder(Map.of("HOME", "relative"))).isNull();
        assertThat(TaskDurations.userCacheFolder(Map.of())).isNull();
    }
}
