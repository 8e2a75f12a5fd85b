package io.jenkins.plugins.fluxkontext.core.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.fluxkontext.core.engine.GenerationAbortedException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** A build on its own thread, as Jenkins runs a step; interrupting it is pressing abort. */
public final class BackgroundBuild {

    /** What the build runs. */
    @FunctionalInterface
    public interface Build {
        Object go() throws Exception;
    }

    private final Thread thread;
    private final AtomicReference<Throwable> thrown = new AtomicReference<>();

    private BackgroundBuild(Build build) {
        thread = new Thread(
                () -> {
                    try {
                        build.go();
                    } catch (Throwable t) {
                        thrown.set(t);
                    }
                },
                "build");
        thread.start();
    }

    public static BackgroundBuild start(Build build) {
        return new BackgroundBuild(build);
    }

    /** Presses abort and waits for the build to give up; the timeout only guards against a hang. */
    public GenerationAbortedException interruptAndJoin() throws InterruptedException {
        thread.interrupt();
        thread.join(TimeUnit.SECONDS.toMillis(15));
        assertThat(thread.isAlive()).as("the run returned after the interrupt").isFalse();
        assertThat(thrown.get()).isInstanceOf(GenerationAbortedException.class);
        return (GenerationAbortedException) thrown.get();
    }
}
