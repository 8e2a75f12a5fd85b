package io.jenkins.plugins.fluxkontext.bench.perf;

import io.jenkins.plugins.fluxkontext.core.engine.AdaptivePollSchedule;
import io.jenkins.plugins.fluxkontext.core.engine.GenerationEngine;
import io.jenkins.plugins.fluxkontext.core.engine.GenerationResult;
import io.jenkins.plugins.fluxkontext.core.engine.PollSchedule;
import io.jenkins.plugins.fluxkontext.core.engine.TaskDurations;
import io.jenkins.plugins.fluxkontext.core.model.KontextModel;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderEndpoint;
import io.jenkins.plugins.fluxkontext.core.provider.bfl.BflDialect;
import io.jenkins.plugins.fluxkontext.simulator.LatencyDistribution;
import io.jenkins.plugins.fluxkontext.simulator.SimulatorSettings;
import io.jenkins.plugins.fluxkontext.simulator.TaskReport;
import java.net.URI;
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
 * Detection lag and polling cost against the simulated BFL: how long after a task ends the engine sees it (the
 * simulator records both moments), and how many status requests that costs, for our schedule and for baselines: fixed
 * polls of 250, 500, 750 and 1000 ms (500 ms is the Replicate and fal clients' default) and BFL's reference client
 * (1 s, ×1.5, capped at 5 s).
 *
 * <p>Two kinds of task. With progress: durations uniform within ±10 % of 2, 10 or 60 s, the progress growing linearly
 * from submit to end (sent as a fraction rounded to 0.01, held at 0.99 until the end). Without progress
 * ({@code noprogress}): durations log-normal with a median of 6 s and a 95th percentile of 20 s, and no progress
 * field, as fal and Replicate report none and BFL's is undocumented.
 *
 * <p>Every schedule gets its own simulated account and the same random seed, so each sees the same durations; a round
 * gives each 24 tasks at once (BFL's default account limit), one schedule after the other for short tasks and side by
 * side for long ones ({@link Case#sideBySide}). Our schedule keeps the
 * durations it saw in a file across the rounds of a case, as it does across builds: the first round starts from the
 * prior.
 */
final class DetectionLagBench {

    static final int TASKS_PER_ROUND = 24;

    /** A kind of task and how many rounds of {@link #TASKS_PER_ROUND} measure it. */
    record Case(String name, LatencyDistribution durations, boolean progress, int rounds) {

        /**
         * Long or spread-out tasks run every schedule at once: their ends are spread out. Short even tasks run one
         * schedule after the other: six schedules' tasks ending in the same half second would have the simulator
         * paint 144 images at once on a 2-core machine, and every status answer would wait behind them.
         */
        boolean sideBySide() {
            return !progress || name.equals("60s");
        }

        static Case even(int seconds, int rounds) {
            Duration nominal = Duration.ofSeconds(seconds);
            Duration spread = nominal.dividedBy(10);
            return new Case(
                    seconds + "s",
                    LatencyDistribution.uniform(nominal.minus(spread), nominal.plus(spread)),
                    true,
                    rounds);
        }

        static Case withoutProgress(int rounds) {
            return new Case(
                    "noprogress",
                    LatencyDistribution.logNormal(Duration.ofSeconds(6), Duration.ofSeconds(20)),
                    false,
                    rounds);
        }
    }

    static final List<Case> CASES =
            List.of(Case.even(2, 4), Case.even(10, 2), Case.even(60, 1), Case.withoutProgress(6));

    static final List<Case> QUICK = List.of(Case.even(2, 1), Case.even(10, 1), Case.withoutProgress(2));

    private DetectionLagBench() {}

    static Map<String, PollSchedule> schedules() {
        Map<String, PollSchedule> schedules = new LinkedHashMap<>();
        schedules.put("adaptive", AdaptivePollSchedule.DEFAULT);
        for (int millis : new int[] {250, 500, 750, 1000}) {
            schedules.put("fixed" + millis, PollSchedule.fixed(Duration.ofMillis(millis)));
        }
        schedules.put("bflref", PollSchedule.growing(Duration.ofSeconds(1), 1.5, Duration.ofSeconds(5)));
        return schedules;
    }

    static void run(Figures figures, Path work, List<Case> cases) throws Exception {
        figures.note("detection lag (ready -> seen, as the simulator records it) and status requests per task, "
                + TASKS_PER_ROUND + " tasks at once per schedule (2 s and 10 s: one schedule after the other; 60 s and "
                + "noprogress: side by side); with progress: durations "
                + "uniform within +-10 % of the nominal one, linear progress; noprogress: log-normal durations "
                + "(median 6 s, p95 20 s), no progress field");
        Map<String, PollSchedule> schedules = schedules();
        for (Case c : cases) {
            Map<String, List<TaskReport>> reports = new LinkedHashMap<>();
            schedules.keySet().forEach(name -> reports.put(name, new ArrayList<>()));
            // What our schedule learns in one round it keeps for the next, as it keeps it across builds.
            TaskDurations learnt = TaskDurations.keptIn(work.resolve("durations-" + c.name()));
            for (int round = 0; round < c.rounds(); round++) {
                if (c.sideBySide()) {
                    ExecutorService side = Executors.newFixedThreadPool(schedules.size());
                    try {
                        Map<String, Future<List<TaskReport>>> running = new LinkedHashMap<>();
                        for (var schedule : schedules.entrySet()) {
                            int r = round;
                            TaskDurations durations = durationsFor(schedule.getKey(), learnt);
                            running.put(
                                    schedule.getKey(),
                                    side.submit(() ->
                                            round(work, c, schedule.getKey(), schedule.getValue(), durations, r)));
                        }
                        for (var entry : running.entrySet()) {
                            reports.get(entry.getKey()).addAll(entry.getValue().get());
                        }
                    } finally {
                        side.shutdownNow();
                    }
                } else {
                    for (var schedule : schedules.entrySet()) {
                        reports.get(schedule.getKey())
                                .addAll(round(
                                        work,
                                        c,
                                        schedule.getKey(),
                                        schedule.getValue(),
                                        durationsFor(schedule.getKey(), learnt),
                                        round));
                    }
                }
            }
            for (var entry : reports.entrySet()) {
                Lags lags = Lags.of(entry.getValue());
                String name = "lag_" + c.name() + "_" + entry.getKey();
                figures.put(name + "_tasks", lags.tasks());
                figures.millis(name + "_p50_ms", lags.p50());
                figures.millis(name + "_p95_ms", lags.p95());
                figures.millis(name + "_max_ms", lags.max());
                figures.decimal(name + "_polls_per_task", lags.polls());
            }
            if (!c.progress()) {
                figures.millis(
                        "lag_noprogress_adaptive_learnt_median_ms",
                        learnt.expected(learntKey()).median());
            }
        }
    }

    /** The key our engine keeps the simulated BFL's durations under: its provider, host and model. */
    private static String learntKey() {
        return TaskDurations.key(
                new ProviderEndpoint(new BflDialect(), URI.create("http://127.0.0.1")), KontextModel.MAX);
    }

    private static TaskDurations durationsFor(String schedule, TaskDurations learnt) {
        return schedule.equals("adaptive") ? learnt : TaskDurations.inMemory();
    }

    private static List<TaskReport> round(
            Path work, Case c, String name, PollSchedule schedule, TaskDurations durations, int round)
            throws Exception {
        long seed = 1000L * Math.floorMod(c.name().hashCode(), 1000) + round;
        SimulatorSettings settings = SimulatorSettings.builder()
                .latency(c.durations())
                .reportsProgress(c.progress())
                .activeTaskLimit(TASKS_PER_ROUND)
                .randomSeed(seed)
                .build();
        try (SimulatedAccount account =
                        new SimulatedAccount(settings, work.resolve("lag-" + c.name() + "-" + name + "-" + round));
                GenerationEngine engine = GenerationEngine.builder()
                        .pollSchedule(schedule)
                        .taskDurations(durations)
                        .maxConcurrentTasks(TASKS_PER_ROUND)
                        .totalTimeout(Duration.ofMinutes(5))
                        .build()) {
            GenerationResult result = engine.run(account.job("images", TASKS_PER_ROUND, seed), null);
            if (!result.allSucceeded()) {
                throw new IllegalStateException("a lag run failed: " + result.failures());
            }
            return account.ledger().tasks();
        }
    }
}
