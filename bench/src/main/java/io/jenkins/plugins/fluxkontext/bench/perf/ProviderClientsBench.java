package io.jenkins.plugins.fluxkontext.bench.perf;

import io.jenkins.plugins.fluxkontext.core.engine.GenerationEngine;
import io.jenkins.plugins.fluxkontext.core.engine.GenerationResult;
import io.jenkins.plugins.fluxkontext.simulator.LatencyDistribution;
import io.jenkins.plugins.fluxkontext.simulator.SimulatorSettings;
import io.jenkins.plugins.fluxkontext.simulator.TaskReport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The fastest signal each provider offers, beside the provider's own npm client on the same simulator: through fal,
 * the engine reads the status stream while {@code @fal-ai/client}'s {@code fal.subscribe} polls every 500 ms; through
 * Replicate, both hold the submit with {@code Prefer: wait} (60 s), for tasks of 40 s. Lag and requests per task come
 * from the simulator's ledger for both, so the clients are measured alike. Without {@code node} and the installed
 * clients only the engine's figures are printed.
 */
final class ProviderClientsBench {

    static final int TASKS = 24;
    static final int REPLICATE_TASKS = 6;
    static final Duration REPLICATE_TASK = Duration.ofSeconds(40);

    /** Clients whose name and version were printed. */
    private static final Set<String> NAMED = ConcurrentHashMap.newKeySet();

    private ProviderClientsBench() {}

    static void run(Figures figures, Path work, NpmClients npm, String npmMissing, boolean quick) throws Exception {
        figures.note(
                "fal: tasks uniform within +-10 % of 2 and 10 s, " + TASKS + " at once per round; the engine reads "
                        + "the status stream, @fal-ai/client's fal.subscribe polls (its default); lag and API requests per task"
                        + " (submit, status requests and streams, result) as the simulator's ledger counts them");
        if (npm == null) {
            figures.note("npm clients skipped: " + npmMissing);
        }
        for (int seconds : quick ? new int[] {2} : new int[] {2, 10}) {
            int rounds = seconds <= 2 && !quick ? 2 : 1;
            Duration nominal = Duration.ofSeconds(seconds);
            LatencyDistribution durations = LatencyDistribution.uniform(
                    nominal.minus(nominal.dividedBy(10)), nominal.plus(nominal.dividedBy(10)));
            List<TaskReport> engine = new ArrayList<>();
            List<TaskReport> client = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                engine.addAll(engineRound(work, "fal", durations, TASKS, 70L * seconds + round, "fal-" + seconds));
                if (npm != null) {
                    client.addAll(npmRound(work, npm, "fal", durations, TASKS, 70L * seconds + round, figures));
                }
            }
            put(figures, "fal_" + seconds + "s_engine", engine);
            if (npm != null) {
                put(figures, "fal_" + seconds + "s_npm", client);
            }
        }
        if (quick) {
            return;
        }
        figures.note("replicate: " + REPLICATE_TASKS + " tasks of " + REPLICATE_TASK.toSeconds()
                + " s at once; the engine and the replicate client's replicate.run side by side, both holding the "
                + "submit with Prefer: wait");
        LatencyDistribution forty = LatencyDistribution.fixed(REPLICATE_TASK);
        ExecutorService side = Executors.newFixedThreadPool(2);
        try {
            Future<List<TaskReport>> engine =
                    side.submit(() -> engineRound(work, "replicate", forty, REPLICATE_TASKS, 40, "replicate-40"));
            Future<List<TaskReport>> client = npm == null
                    ? null
                    : side.submit(() -> npmRound(work, npm, "replicate", forty, REPLICATE_TASKS, 40, figures));
            put(figures, "replicate_40s_engine", engine.get());
            if (client != null) {
                put(figures, "replicate_40s_npm", client.get());
            }
        } finally {
            side.shutdownNow();
        }
    }

    private static void put(Figures figures, String name, List<TaskReport> reports) {
        Lags lags = Lags.of(reports);
        figures.put(name + "_tasks", lags.tasks());
        figures.millis(name + "_p50_ms", lags.p50());
        figures.millis(name + "_p95_ms", lags.p95());
        figures.millis(name + "_max_ms", lags.max());
        figures.decimal(name + "_polls_per_task", lags.polls());
        figures.decimal(name + "_requests_per_task", lags.requests());
    }

    private static SimulatorSettings settings(LatencyDistribution durations, int tasks, long seed) {
        return SimulatorSettings.builder()
                .latency(durations)
                .activeTaskLimit(tasks)
                .randomSeed(seed)
                .build();
    }

    /** {@code tasks} one-image jobs at once through one engine, as parallel builds on one agent would run them. */
    private static List<TaskReport> engineRound(
            Path work, String provider, LatencyDistribution durations, int tasks, long seed, String name)
            throws Exception {
        try (SimulatedAccount account = new SimulatedAccount(
                        settings(durations, tasks, seed), work.resolve(name + "-" + seed), provider);
                GenerationEngine engine = GenerationEngine.builder()
                        .totalTimeout(Duration.ofMinutes(5))
                        .build()) {
            ExecutorService jobs = Executors.newFixedThreadPool(tasks);
            try {
                List<Future<GenerationResult>> running = new ArrayList<>();
                for (int i = 0; i < tasks; i++) {
                    long taskSeed = seed * 100 + i;
                    running.add(jobs.submit(() -> engine.run(account.job("task-" + taskSeed, 1, taskSeed), null)));
                }
                for (Future<GenerationResult> result : running) {
                    if (!result.get().allSucceeded()) {
                        throw new IllegalStateException(
                                "a " + provider + " run failed: " + result.get().failures());
                    }
                }
            } finally {
                jobs.shutdownNow();
            }
            return account.ledger().tasks();
        }
    }

    private static List<TaskReport> npmRound(
            Path work,
            NpmClients npm,
            String provider,
            LatencyDistribution durations,
            int tasks,
            long seed,
            Figures figures)
            throws Exception {
        try (SimulatedAccount account = new SimulatedAccount(
                settings(durations, tasks, seed), work.resolve("npm-" + provider + "-" + seed), provider)) {
            NpmClients.Run run = npm.run(
                    provider,
                    account.simulator().baseUrl(provider),
                    SimulatedAccount.KEY.reveal(),
                    tasks,
                    SimulatedAccount.PROMPT);
            if (run.failed() > 0) {
                throw new IllegalStateException(
                        run.client() + " failed " + run.failed() + " of " + tasks + " tasks: " + run.errors());
            }
            if (NAMED.add(provider)) {
                figures.put(provider + "_npm_client", run.client() + "@" + run.version());
            }
            return account.ledger().tasks();
        }
    }
}
