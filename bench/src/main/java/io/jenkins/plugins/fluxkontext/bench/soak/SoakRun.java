package io.jenkins.plugins.fluxkontext.bench.soak;

import io.jenkins.plugins.fluxkontext.core.engine.GenerationAbortedException;
import io.jenkins.plugins.fluxkontext.core.engine.GenerationEngine;
import io.jenkins.plugins.fluxkontext.core.engine.GenerationJob;
import io.jenkins.plugins.fluxkontext.core.engine.GenerationResult;
import io.jenkins.plugins.fluxkontext.core.log.ProgressLog;
import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
import io.jenkins.plugins.fluxkontext.core.output.OutputPlan;
import io.jenkins.plugins.fluxkontext.core.provider.ApiKey;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderEndpoint;
import io.jenkins.plugins.fluxkontext.core.provider.bfl.BflDialect;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;
import io.jenkins.plugins.fluxkontext.simulator.FluxKontextSimulator;
import io.jenkins.plugins.fluxkontext.simulator.LatencyDistribution;
import io.jenkins.plugins.fluxkontext.simulator.LedgerSnapshot;
import io.jenkins.plugins.fluxkontext.simulator.SimulatorSettings;
import io.jenkins.plugins.fluxkontext.simulator.TaskReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The soak: many tasks through the real engine against the in-process simulator with faults injected, then the
 * figures that must hold (docs/reliability.md, "Soak"): nothing billed twice, no partial file, no key anywhere, every
 * failure a known outcome. Prints {@code name=value} lines and exits 1 when a must-hold figure fails.
 *
 * <p>Arguments (all optional): {@code --tasks 1000 --fault-rate 0.10 --parallel-jobs 8 --images-per-job 4
 * --seed 2026 --out DIR}.
 */
public final class SoakRun {

    private final int tasks;
    private final double faultRate;
    private final int parallelJobs;
    private final int imagesPerJob;
    private final long seed;
    private final Path out;
    private final String key;

    private final Queue<String> logLines = new ConcurrentLinkedQueue<>();
    private final Queue<TaskOutcome> outcomes = new ConcurrentLinkedQueue<>();
    /** Anything engine.run threw that is not a classified ending: type and full trace. */
    private final Queue<String> unexpected = new ConcurrentLinkedQueue<>();

    private SoakFaultPlan faults;

    SoakRun(int tasks, double faultRate, int parallelJobs, int imagesPerJob, long seed, Path out) {
        this.tasks = tasks;
        this.faultRate = faultRate;
        this.parallelJobs = parallelJobs;
        this.imagesPerJob = imagesPerJob;
        this.seed = seed;
        this.out = out;
        byte[] secret = new byte[12];
        new Random(seed).nextBytes(secret);
        this.key = "bfl-sk-soak-" + HexFormat.of().formatHex(secret);
    }

    public static void main(String[] args) throws Exception {
        int tasks = 1000;
        double faultRate = 0.10;
        int parallelJobs = 8;
        int imagesPerJob = 4;
        long seed = 2026;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--tasks" -> tasks = Integer.parseInt(value);
                case "--fault-rate" -> faultRate = Double.parseDouble(value);
                case "--parallel-jobs" -> parallelJobs = Integer.parseInt(value);
                case "--images-per-job" -> imagesPerJob = Integer.parseInt(value);
                case "--seed" -> seed = Long.parseLong(value);
                case "--out" -> out = Path.of(value);
                default -> {
                    System.err.println("usage: SoakRun [--tasks N] [--fault-rate P] [--parallel-jobs N] "
                            + "[--images-per-job N] [--seed S] [--out DIR]");
                    System.exit(2);
                }
            }
            i++;
        }
        System.setProperty("java.awt.headless", "true");
        if (out != null && holdsFiles(out)) {
            // The figures count what is on disk: files of an earlier run would be counted as this run's (and refused
            // by the engine, which never writes over an image).
            System.err.println("--out " + out + ": the folder holds files already; give an empty or new folder");
            System.exit(2);
        }
        Path dir = out != null ? Files.createDirectories(out) : Files.createTempDirectory("flux-kontext-soak-");
        SoakFigures figures = new SoakRun(tasks, faultRate, parallelJobs, imagesPerJob, seed, dir).run();
        figures.print(System.out);
        System.exit(figures.allHold() ? 0 : 1);
    }

    SoakFigures run() throws Exception {
        // Enough active tasks for every job's slots, so 429s come from the injected bursts, not from our own load.
        int perJobLimit = imagesPerJob;
        faults = new SoakFaultPlan(faultRate, 3, seed);
        SimulatorSettings settings = SimulatorSettings.builder()
                .acceptedKeys(Set.of(key))
                .activeTaskLimit(parallelJobs * perJobLimit)
                .latency(LatencyDistribution.uniform(Duration.ofMillis(50), Duration.ofMillis(300)))
                .faultPlan(faults)
                .randomSeed(seed)
                .credits(new BigDecimal(tasks * 10L + 100))
                .build();
        long started = System.nanoTime();
        LedgerSnapshot ledger;
        try (FluxKontextSimulator sim = FluxKontextSimulator.start(settings);
                GenerationEngine engine = GenerationEngine.builder()
                        .maxConcurrentTasks(perJobLimit)
                        .totalTimeout(Duration.ofMinutes(3))
                        .readTimeout(Duration.ofSeconds(20))
                        .build()) {
            ProviderEndpoint endpoint = new ProviderEndpoint(new BflDialect(), sim.baseUrl());
            ExecutorService jobs = Executors.newFixedThreadPool(parallelJobs);
            List<Future<?>> running = new ArrayList<>();
            int jobNumber = 0;
            for (int first = 0; first < tasks; first += imagesPerJob) {
                int count = Math.min(imagesPerJob, tasks - first);
                int number = ++jobNumber;
                long jobSeed = 1_000L + first;
                running.add(jobs.submit(() -> runJob(engine, endpoint, number, count, jobSeed)));
            }
            for (Future<?> job : running) {
                job.get();
            }
            jobs.shutdown();
            ledger = afterEveryTaskEnded(sim);
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        return SoakFigures.collect(this, ledger, elapsed);
    }

    private void runJob(GenerationEngine engine, ProviderEndpoint endpoint, int number, int count, long jobSeed) {
        GenerationRequest request = GenerationRequest.builder()
                .prompt("Soak job " + number + ": a lighthouse on a cliff at dusk, poster style")
                .count(count)
                .seed(jobSeed)
                .build();
        Path folder = out.resolve(String.format("job-%04d", number));
        GenerationJob job = new GenerationJob(request, endpoint, ApiKey.of(key), OutputPlan.into(folder));
        ProgressLog progress = new ProgressLog(logLines::add, count, out);
        try {
            GenerationResult result = engine.run(job, progress);
            progress.summary(result, Duration.ZERO);
            result.warnings().forEach(w -> logLines.add("warning: " + w));
            outcomes.addAll(result.outcomes());
        } catch (GenerationAbortedException e) {
            unexpected.add("job " + number + " aborted: " + trace(e));
            outcomes.addAll(e.result().outcomes());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            unexpected.add("job " + number + " interrupted: " + trace(e));
        } catch (RuntimeException e) {
            unexpected.add("job " + number + ": " + trace(e));
        }
    }

    private static String trace(Throwable t) {
        StringWriter text = new StringWriter();
        t.printStackTrace(new PrintWriter(text));
        return text.toString();
    }

    /**
     * A submit that got no clear answer may have left a task running at the provider; its charge lands when it ends.
     * Read the ledger once nothing is pending (bounded: the longest latency is well under a second).
     */
    private static LedgerSnapshot afterEveryTaskEnded(FluxKontextSimulator sim) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        LedgerSnapshot ledger = sim.ledger();
        while (!ledger.tasks().stream().map(TaskReport::state).allMatch(s -> s.ended()) && System.nanoTime() < giveUp) {
            Thread.sleep(50);
            ledger = sim.ledger();
        }
        return ledger;
    }

    /** Submits the fault plan gave a fault (a rate-limit burst counts each refused submit). */
    int faultsPlanned() {
        return faults.planned();
    }

    int tasks() {
        return tasks;
    }

    double faultRate() {
        return faultRate;
    }

    int parallelJobs() {
        return parallelJobs;
    }

    int imagesPerJob() {
        return imagesPerJob;
    }

    long seed() {
        return seed;
    }

    private static boolean holdsFiles(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.findAny().isPresent();
        }
    }

    Path out() {
        return out;
    }

    String key() {
        return key;
    }

    List<String> logLines() {
        return List.copyOf(logLines);
    }

    List<TaskOutcome> outcomes() {
        return List.copyOf(outcomes);
    }

    List<String> unexpected() {
        return List.copyOf(unexpected);
    }
}
