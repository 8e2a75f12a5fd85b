package io.jenkins.plugins.fluxkontext.bench.perf;

import io.jenkins.plugins.fluxkontext.core.engine.GenerationEngine;
import io.jenkins.plugins.fluxkontext.core.engine.GenerationResult;
import io.jenkins.plugins.fluxkontext.simulator.LedgerSnapshot;
import io.jenkins.plugins.fluxkontext.simulator.SimulatorSettings;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What the engine adds on top of the provider: 24 images of tasks that take exactly 2 s, at most 6 in flight (BFL's
 * limit for kontext-max). A perfect client needs 4 waves of 2 s, then the download of the last wave's images; the
 * engine's wall time over that is the overhead ratio (target 1.05 or less).
 */
final class OverheadBench {

    static final int IMAGES = 24;
    static final int LIMIT = 6;
    static final Duration LATENCY = Duration.ofSeconds(2);

    private OverheadBench() {}

    static void run(Figures figures, Path work, Duration waveDownload) throws Exception {
        figures.note("overhead: " + IMAGES + " images, tasks of " + LATENCY.toMillis() + " ms, " + LIMIT
                + " in flight; ideal = waves x latency + one wave's loopback download");
        SimulatorSettings settings = SimulatorSettings.builder()
                .latency(LATENCY)
                .activeTaskLimit(LIMIT)
                .randomSeed(24)
                .build();
        try (SimulatedAccount account = new SimulatedAccount(settings, work.resolve("overhead"));
                GenerationEngine engine =
                        GenerationEngine.builder().maxConcurrentTasks(LIMIT).build()) {
            long start = System.nanoTime();
            GenerationResult result = engine.run(account.job("images", IMAGES, 1), null);
            Duration wall = Duration.ofNanos(System.nanoTime() - start);
            if (!result.allSucceeded()) {
                throw new IllegalStateException("the overhead run failed: " + result.failures());
            }
            LedgerSnapshot ledger = account.ledger();
            int waves = (IMAGES + LIMIT - 1) / LIMIT;
            Duration ideal = LATENCY.multipliedBy(waves).plus(waveDownload);
            Lags lags = Lags.of(ledger);
            figures.put("overhead_images", IMAGES);
            figures.millis("overhead_wall_ms", wall);
            figures.millis("overhead_ideal_ms", ideal);
            figures.ratio("overhead_ratio", (double) wall.toNanos() / ideal.toNanos());
            figures.millis("overhead_lag_p50_ms", lags.p50());
            figures.millis("overhead_lag_p95_ms", lags.p95());
            figures.decimal("overhead_polls_per_task", lags.polls());
            figures.put("overhead_http_429_count", ledger.rateLimitedAnswers());
            figures.put("overhead_max_in_flight", ledger.maxConcurrentlyActive());
        }
    }
}
