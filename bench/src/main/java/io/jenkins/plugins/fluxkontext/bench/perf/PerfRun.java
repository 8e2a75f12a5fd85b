package io.jenkins.plugins.fluxkontext.bench.perf;

import io.jenkins.plugins.fluxkontext.core.engine.GenerationEngine;
import io.jenkins.plugins.fluxkontext.core.engine.GenerationResult;
import io.jenkins.plugins.fluxkontext.simulator.SimulatorSettings;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The benchmark program ({@code scripts/bench}): the real engine against the simulator on loopback,
 * printing one {@code name=value} line per figure (BENCHMARKS.md explains them). Never a test: nothing here asserts.
 *
 * <p>Arguments, all optional: {@code --only overhead,lag,shared,memory} (default: all), {@code --quick} (the lag
 * figure for 2 and 10 s only, one round each), {@code --keep DIR} (keep the images there instead of deleting them),
 * {@code --cold} (no warm-up: what the first build in a fresh JVM sees).
 */
public final class PerfRun {

    private static final Set<String> ALL = Set.of("overhead", "lag", "shared", "memory");

    private PerfRun() {}

    public static void main(String[] args) throws Exception {
        // The simulator answers on virtual threads, and paints an image on its first download: with the default of one
        // carrier per core, two paints would hold every carrier of a 2-core machine and status answers would queue
        // behind them, which a real provider's status endpoint does not do. More carriers leave the sharing of the CPU
        // to the operating system. Must be set before the first virtual thread starts.
        System.setProperty("jdk.virtualThreadScheduler.parallelism", "64");
        System.setProperty("java.awt.headless", "true");

        Set<String> only = new LinkedHashSet<>(List.of("overhead", "lag", "shared", "memory"));
        boolean quick = false;
        boolean cold = false;
        Path keep = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--only" -> {
                    only = new LinkedHashSet<>(List.of(args[++i].split(",")));
                    if (!ALL.containsAll(only)) {
                        usage("unknown figure in " + only + "; use " + ALL);
                    }
                }
                case "--quick" -> quick = true;
                case "--cold" -> cold = true;
                case "--keep" -> keep = Path.of(args[++i]);
                default -> usage("unknown argument " + args[i]);
            }
        }

        Figures figures = new Figures(System.out);
        Machine.describe(figures);
        Path work = keep != null ? Files.createDirectories(keep) : Files.createTempDirectory("flux-kontext-bench");
        long start = System.nanoTime();
        try {
            if (!cold) {
                warmUp(figures, work);
            }
            Duration wave = LoopbackDownload.wave(OverheadBench.LIMIT, 5);
            figures.note("a plain client downloading " + OverheadBench.LIMIT + " fresh images at once (median of 5)");
            figures.millis("loopback_wave_download_ms", wave);
            if (only.contains("overhead")) {
                OverheadBench.run(figures, work, wave);
            }
            if (only.contains("lag")) {
                List<DetectionLagBench.Case> cases = quick
                        ? List.of(new DetectionLagBench.Case(2, 1), new DetectionLagBench.Case(10, 1))
                        : DetectionLagBench.CASES;
                DetectionLagBench.run(figures, work, cases);
            }
            if (only.contains("shared")) {
                SharedLimitBench.run(figures, work, wave, !quick);
            }
            if (only.contains("memory")) {
                MemoryBench.run(figures, work);
            }
        } finally {
            if (keep == null) {
                deleteTree(work);
            }
        }
        figures.put("bench_seconds", (System.nanoTime() - start) / 1_000_000_000);
    }

    /**
     * A few tasks through engine and simulator before anything is timed, so that class loading and the first
     * compilations are not counted: a Jenkins agent runs many builds in one JVM.
     */
    private static void warmUp(Figures figures, Path work) throws Exception {
        SimulatorSettings settings = SimulatorSettings.builder()
                .latency(Duration.ofMillis(300))
                .activeTaskLimit(6)
                .randomSeed(7)
                .build();
        try (SimulatedAccount account = new SimulatedAccount(settings, work.resolve("warm-up"));
                GenerationEngine engine = GenerationEngine.builder().build()) {
            for (int i = 0; i < 2; i++) {
                GenerationResult result = engine.run(account.job("round-" + i, 12, 10L * i + 1), null);
                if (!result.allSucceeded()) {
                    throw new IllegalStateException("the warm-up failed: " + result.failures());
                }
            }
        }
        figures.put("warmup_images", 24);
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println("usage: scripts/bench [--only overhead,lag,shared,memory] [--quick] [--cold] [--keep DIR]");
        System.exit(2);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
