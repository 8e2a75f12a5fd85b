package io.jenkins.plugins.fluxkontext.bench.perf;

import io.jenkins.plugins.fluxkontext.core.engine.AdaptivePollSchedule;
import io.jenkins.plugins.fluxkontext.core.engine.GenerationEngine;
import io.jenkins.plugins.fluxkontext.core.engine.GenerationResult;
import io.jenkins.plugins.fluxkontext.core.engine.PollSchedule;
import io.jenkins.plugins.fluxkontext.simulator.LatencyDistribution;
import io.jenkins.plugins.fluxkontext.simulator.SimulatorSettings;
import io.jenkins.plugins.fluxkontext.simulator.TaskReport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Detection lag and polling cost: for tasks of about 2, 10 and 60 s, how long after a task ends the engine sees it
 * (the simulator records both moments), and how many status requests that costs, for our schedule and for two
 * baselines: a fixed 500 ms poll (the Replicate and fal clients' default) and BFL's reference client (1 s, ×1.5,
 * capped at 5 s).
 *
 * <p>Each schedule gets its own simulated account, so that the ledgers do not mix. The simulator's progress grows
 * linearly from submit to end (sent as a fraction rounded to 0.01, held at 0.99 until the end); durations are drawn
 * uniformly within ±10 % of the nominal one, so that tasks do not all end in the same millisecond. A round runs 24
 * tasks at once, BFL's default account limit (kontext-max alone allows 6; the limit is not what this figure is about).
 * Short cases run several rounds one after another, schedule after schedule; the 60 s case runs one round with the
 * three schedules side by side, to stay affordable.
 */
final class DetectionLagBench {

    static final int TASKS_PER_ROUND = 24;
    static final Map<String, PollSchedule> SCHEDULES = new LinkedHashMap<>();

    static {
        SCHEDULES.put("adaptive", AdaptivePollSchedule.DEFAULT);
        SCHEDULES.put("fixed500", PollSchedule.fixed(Duration.ofMillis(500)));
        SCHEDULES.put("bflref", PollSchedule.growing(Duration.ofSeconds(1), 1.5, Duration.ofSeconds(5)));
    }

    /** A nominal task duration and how many rounds of tasks measure it. */
    record Case(int seconds, int rounds) {
        boolean sideBySide() {
            return seconds >= 30;
        }
    }

    static final List<Case> CASES = List.of(new Case(2, 4), new Case(10, 2), new Case(60, 1));

    private DetectionLagBench() {}

    static void run(Figures figures, Path work, List<Case> cases) throws Exception {
        figures.note("detection lag (ready -> seen, as the simulator records it) and status requests per task; "
                + "durations uniform within +-10 % of the nominal one, linear progress, " + TASKS_PER_ROUND
                + " tasks at once per round");
        for (Case c : cases) {
            Map<String, List<TaskReport>> reports = new LinkedHashMap<>();
            SCHEDULES.keySet().forEach(name -> reports.put(name, new ArrayList<>()));
            for (int round = 0; round < c.rounds(); round++) {
                if (c.sideBySide()) {
                    ExecutorService side = Executors.newFixedThreadPool(SCHEDULES.size());
                    try {
                        Map<String, Future<List<TaskReport>>> running = new LinkedHashMap<>();
                        for (String name : SCHEDULES.keySet()) {
                            int r = round;
                            running.put(name, side.submit(() -> round(work, c, name, r)));
                        }
                        for (var entry : running.entrySet()) {
                            reports.get(entry.getKey()).addAll(entry.getValue().get());
                        }
                    } finally {
                        side.shutdownNow();
                    }
                } else {
                    for (String name : SCHEDULES.keySet()) {
                        reports.get(name).addAll(round(work, c, name, round));
                    }
                }
            }
            for (var entry : reports.entrySet()) {
                Lags lags = Lags.of(entry.getValue());
                String name = "lag_" + c.seconds() + "s_" + entry.getKey();
                figures.put(name + "_tasks", lags.tasks());
                figures.millis(name + "_p50_ms", lags.p50());
                figures.millis(name + "_p95_ms", lags.p95());
                figures.millis(name + "_max_ms", lags.max());
                figures.decimal(name + "_polls_per_task", lags.polls());
            }
        }
    }

    private static List<TaskReport> round(Path work, Case c, String schedule, int round) throws Exception {
        Duration nominal = Duration.ofSeconds(c.seconds());
        Duration spread = nominal.dividedBy(10);
        long seed = 1000L * c.seconds() + round;
        SimulatorSettings settings = SimulatorSettings.builder()
                .latency(LatencyDistribution.uniform(nominal.minus(spread), nominal.plus(spread)))
                .activeTaskLimit(TASKS_PER_ROUND)
                .randomSeed(seed)
                .build();
        try (SimulatedAccount account = new SimulatedAccount(
                        settings, work.resolve("lag-" + c.seconds() + "s-" + schedule + "-" + round));
                GenerationEngine engine = GenerationEngine.builder()
                        .pollSchedule(SCHEDULES.get(schedule))
                        .maxConcurrentTasks(TASKS_PER_ROUND)
                        .build()) {
            GenerationResult result = engine.run(account.job("images", TASKS_PER_ROUND, seed), null);
            if (!result.allSucceeded()) {
                throw new IllegalStateException("a lag run failed: " + result.failures());
            }
            return account.ledger().tasks();
        }
    }
}
