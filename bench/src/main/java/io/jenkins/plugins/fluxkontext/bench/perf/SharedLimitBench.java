package io.jenkins.plugins.fluxkontext.bench.perf;

import io.jenkins.plugins.fluxkontext.core.engine.GenerationEngine;
import io.jenkins.plugins.fluxkontext.core.engine.GenerationResult;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;
import io.jenkins.plugins.fluxkontext.core.throttle.TaskSlots;
import io.jenkins.plugins.fluxkontext.core.throttle.TaskThrottle;
import io.jenkins.plugins.fluxkontext.simulator.LedgerSnapshot;
import io.jenkins.plugins.fluxkontext.simulator.SimulatorSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Builds sharing one account: 10 requesters of 6 images each, started together against one simulated account that
 * allows 6 tasks in flight. Each requester has its own engine (as each build runs on its own agent); what they share
 * is the controller's {@link TaskThrottle}, handed to each engine as {@link TaskSlots}. Targets: no 429 at all, and
 * a wall time within 10 % of 10 waves of 2 s plus one wave's download. The same run without the shared throttle shows
 * what it prevents.
 */
final class SharedLimitBench {

    static final int REQUESTERS = 10;
    static final int IMAGES_EACH = 6;
    static final int LIMIT = 6;
    static final Duration LATENCY = Duration.ofSeconds(2);

    private SharedLimitBench() {}

    static void run(Figures figures, Path work, Duration waveDownload, boolean withContrast) throws Exception {
        figures.note("shared limit: " + REQUESTERS + " requesters x " + IMAGES_EACH + " images, one account with "
                + LIMIT + " in flight, tasks of " + LATENCY.toMillis() + " ms, one TaskThrottle across the engines");
        int waves = (REQUESTERS * IMAGES_EACH + LIMIT - 1) / LIMIT;
        Duration ideal = LATENCY.multipliedBy(waves).plus(waveDownload);
        TaskThrottle throttle = new TaskThrottle(provider -> LIMIT);
        Outcome shared = once(work.resolve("shared"), throttle.slotsFor("bfl", SimulatedAccount.KEY));
        figures.put("shared_images", REQUESTERS * IMAGES_EACH);
        figures.put("shared_succeeded", shared.succeeded);
        figures.put("http_429_count", shared.ledger.rateLimitedAnswers());
        figures.put("shared_max_in_flight", shared.ledger.maxConcurrentlyActive());
        figures.millis("shared_wall_ms", shared.wall);
        figures.millis("shared_ideal_ms", ideal);
        figures.ratio("shared_ratio", (double) shared.wall.toNanos() / ideal.toNanos());
        if (withContrast) {
            figures.note("the same without the shared throttle: each engine keeps only its own limit of " + LIMIT);
            Outcome alone = once(work.resolve("unshared"), TaskSlots.UNLIMITED);
            figures.put("unshared_succeeded", alone.succeeded);
            figures.put("unshared_http_429_count", alone.ledger.rateLimitedAnswers());
            figures.millis("unshared_wall_ms", alone.wall);
        }
    }

    private record Outcome(Duration wall, long succeeded, LedgerSnapshot ledger) {}

    private static Outcome once(Path out, TaskSlots slots) throws Exception {
        SimulatorSettings settings = SimulatorSettings.builder()
                .latency(LATENCY)
                .activeTaskLimit(LIMIT)
                .randomSeed(60)
                .build();
        ExecutorService builds = Executors.newFixedThreadPool(REQUESTERS);
        List<GenerationEngine> engines = new ArrayList<>();
        try (SimulatedAccount account = new SimulatedAccount(settings, out)) {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<GenerationResult>> results = new ArrayList<>();
            for (int i = 0; i < REQUESTERS; i++) {
                GenerationEngine engine = GenerationEngine.builder()
                        .maxConcurrentTasks(LIMIT)
                        .taskSlots(slots)
                        .build();
                engines.add(engine);
                int build = i + 1;
                results.add(builds.submit(() -> {
                    go.await();
                    return engine.run(account.job("build-" + build, IMAGES_EACH, 100L * build), null);
                }));
            }
            long start = System.nanoTime();
            go.countDown();
            long succeeded = 0;
            for (Future<GenerationResult> result : results) {
                succeeded += result.get().outcomes().stream()
                        .filter(o -> o instanceof TaskOutcome.Succeeded)
                        .count();
            }
            Duration wall = Duration.ofNanos(System.nanoTime() - start);
            return new Outcome(wall, succeeded, account.ledger());
        } finally {
            builds.shutdownNow();
            engines.forEach(GenerationEngine::close);
        }
    }
}
