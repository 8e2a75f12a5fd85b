package io.jenkins.plugins.fluxkontext.core.harness;

import io.jenkins.plugins.fluxkontext.core.engine.GenerationEngine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every engine story stands on: a server on loopback for the fake provider, manual time, an output folder, and
 * an engine on that time. A story class puts its fake provider on {@link #server} and checks what it must after each
 * story; the engine and the server are closed after those checks (JUnit runs a superclass's {@code @AfterEach} last).
 */
public abstract class LoopbackStage {

    @TempDir
    public Path out;

    public MockWebServer server;
    public final ManualTime time = new ManualTime();
    public GenerationEngine engine;

    @BeforeEach
    public void startServerAndEngine() throws IOException {
        server = new MockWebServer();
        server.start();
        engine = engine(GenerationEngine.builder());
    }

    /** The engine every story uses, on manual time and with fixed jitter; stories may tweak the builder. */
    public GenerationEngine engine(GenerationEngine.Builder builder) {
        return builder.clock(time)
                .sleeper(time)
                .random(quarterJitter())
                .connectTimeout(Duration.ofSeconds(2))
                .readTimeout(Duration.ofSeconds(5))
                .build();
    }

    /** Closes the story's engine and builds another from {@code builder}. */
    public void replaceEngine(GenerationEngine.Builder builder) {
        engine.close();
        engine = engine(builder);
    }

    /** Full jitter drawn at a quarter of the ceiling, always. */
    public static RandomGenerator quarterJitter() {
        return () -> 1L << 62;
    }

    @AfterEach
    public void closeEngineAndServer() throws IOException {
        engine.close();
        server.close();
    }

    /** Every file under the output folder, temporary ones included, as its path and then its bytes as text. */
    public List<String> writtenFiles() throws IOException {
        List<String> texts = new ArrayList<>();
        try (Stream<Path> files = Files.walk(out)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                texts.add(file + "\n" + new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
            }
        }
        return texts;
    }

    /** Polls a condition the server or the file system will reach; the timeout only guards against a hang. */
    public static void waitUntil(BooleanSupplier condition) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > giveUp) {
                throw new AssertionError("the condition was never reached");
            }
            Thread.sleep(5);
        }
    }
}
