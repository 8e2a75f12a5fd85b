package io.jenkins.plugins.fluxkontext.core.harness;

import io.jenkins.plugins.fluxkontext.core.engine.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A clock that only moves when the engine sleeps, and remembers every sleep: backoff, Retry-After and deadlines are
 * checked without waiting and without a timed assertion.
 */
public final class ManualTime extends Clock implements Sleeper {

    private volatile Instant now = Instant.parse("2026-01-15T10:00:00Z");
    private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
    private volatile Runnable onNextSleep;

    @Override
    public synchronized void sleep(Duration duration) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        sleeps.add(duration);
        now = now.plus(duration);
        Runnable hook = onNextSleep;
        if (hook != null) {
            onNextSleep = null;
            hook.run();
        }
    }

    /** Runs {@code hook} during the next sleep, e.g. to bring a server up while the engine backs off. */
    public void duringNextSleep(Runnable hook) {
        this.onNextSleep = hook;
    }

    public List<Duration> sleeps() {
        return List.copyOf(sleeps);
    }

    /** All the time slept so far. */
    public Duration slept() {
        return sleeps.stream().reduce(Duration.ZERO, Duration::plus);
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
