package io.jenkins.plugins.fluxkontext.bench.perf;

import io.jenkins.plugins.fluxkontext.simulator.LedgerSnapshot;
import io.jenkins.plugins.fluxkontext.simulator.SimulatorSettings;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Big images on a small heap: 32 images of 8 MB each, downloaded by an engine in a child JVM limited to 64 MB of heap
 * ({@link MemoryProbe}), from a simulator in this JVM (which keeps every image it painted, so it cannot share the
 * child's heap). The child prints its own figures; they are passed on here as they are.
 */
final class MemoryBench {

    static final int IMAGES = 32;
    static final int IMAGE_BYTES = 8 * 1024 * 1024;
    static final String HEAP = "64m";

    private MemoryBench() {}

    static void run(Figures figures, Path work) throws Exception {
        figures.note("memory: " + IMAGES + " images of " + IMAGE_BYTES / (1024 * 1024) + " MB, engine in a child JVM"
                + " with -Xmx" + HEAP + ", 6 in flight, tasks of 1 s");
        SimulatorSettings settings = SimulatorSettings.builder()
                .latency(Duration.ofSeconds(1))
                .activeTaskLimit(6)
                .imagePaddingBytes(IMAGE_BYTES)
                .randomSeed(32)
                .build();
        try (SimulatedAccount account = new SimulatedAccount(settings, work.resolve("memory"))) {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx" + HEAP,
                    "-Djava.awt.headless=true",
                    "-cp",
                    System.getProperty("java.class.path"),
                    MemoryProbe.class.getName(),
                    account.simulator().baseUrl().toString(),
                    work.resolve("memory").toString(),
                    Integer.toString(IMAGES)));
            Process child =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            List<String> lines = new ArrayList<>();
            try (BufferedReader out =
                    new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    lines.add(line);
                }
            }
            if (!child.waitFor(5, TimeUnit.MINUTES)) {
                child.destroyForcibly();
            }
            int exit = child.exitValue();
            boolean figuresSeen = false;
            for (String line : lines) {
                if (line.startsWith("memory_")) {
                    int eq = line.indexOf('=');
                    figures.put(line.substring(0, eq), line.substring(eq + 1));
                    figuresSeen = true;
                } else {
                    figures.note("child: " + line);
                }
            }
            if (!figuresSeen) {
                figures.put("memory_completed", false);
            }
            figures.put("memory_child_exit", exit);
            LedgerSnapshot ledger = account.ledger();
            figures.put(
                    "memory_images_served",
                    ledger.tasks().stream().mapToInt(t -> t.downloads()).sum());
        }
    }
}
