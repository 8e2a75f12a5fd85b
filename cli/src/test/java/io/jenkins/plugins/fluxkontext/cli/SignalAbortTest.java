package io.jenkins.plugins.fluxkontext.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command in a process of its own, stopped by SIGTERM (what {@code kill}, a CI runner's cancel and a container
 * stop send; Ctrl-C's SIGINT takes the same path): it leaves no partial file behind and names the task that may be
 * billed, whether the signal comes while the task is polled or while its image downloads.
 */
class SignalAbortTest {

    private static final String KEY = "bfl-sk-SIGNAL-2b9f";

    @TempDir
    Path dir;

    private LoopbackBfl bfl;
    private Process process;

    @BeforeEach
    void start() throws IOException {
        assumeTrue(
                !System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("win"), "SIGTERM is a POSIX signal");
        bfl = new LoopbackBfl();
    }

    @AfterEach
    void stop() {
        if (process != null) {
            process.destroyForcibly();
        }
        bfl.close();
    }

    /** {@code flux-kontext generate} in a JVM of its own, its output going to a file. */
    private Path startCommand() throws IOException {
        Path output = dir.resolve("output.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder command = new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                FluxKontextCli.class.getName(),
                "generate",
                "--prompt",
                "a kite over the dunes",
                "--base-url",
                bfl.baseUrl(),
                "--out",
                "images");
        command.directory(dir.toFile()).redirectErrorStream(true).redirectOutput(output.toFile());
        command.environment().put(ApiKeySource.ENV, KEY);
        process = command.start();
        return output;
    }

    private List<String> filesIn(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private String terminate(Path output) throws Exception {
        process.destroy(); // SIGTERM
        assertThat(process.waitFor(40, TimeUnit.SECONDS)).as("the command ends").isTrue();
        return Files.readString(output, StandardCharsets.UTF_8);
    }

    @Test
    void h09_sigtermWhileTheImageDownloadsLeavesNoPartialFileAndSaysTheTaskWasBilled() throws Exception {
        bfl.trickles();
        Path output = startCommand();
        Path images = dir.resolve("images");
        waitUntil(() -> {
            try {
                return filesIn(images).stream().anyMatch(n -> n.endsWith(".part"));
            } catch (IOException e) {
                return false;
            }
        });

        String printed = terminate(output);

        assertThat(filesIn(images)).noneMatch(n -> n.endsWith(".part") || n.endsWith(".png"));
        assertThat(printed).contains("task-1", "billed").doesNotContain(KEY);
    }

    @Test
    void h09_sigtermWhileTheTaskIsPolledNamesTheTaskThatMayStillBeBilled() throws Exception {
        bfl.staysPending();
        Path output = startCommand();
        waitUntil(() -> bfl.count("GET", "/v1/get_result") > 0);

        String printed = terminate(output);

        assertThat(printed).contains("task-1", "may still run and be billed").doesNotContain(KEY);
        assertThat(filesIn(dir.resolve("images"))).noneMatch(n -> n.endsWith(".part"));
    }

    private static void waitUntil(BooleanSupplier condition) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("the command got that far in time").isLessThan(giveUp);
            Thread.sleep(20);
        }
    }
}
