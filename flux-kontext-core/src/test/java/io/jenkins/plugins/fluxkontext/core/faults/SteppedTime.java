package io.jenkins.plugins.fluxkontext.core.faults;

import io.jenkins.plugins.fluxkontext.core.engine.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Time that moves only when the engine sleeps, so backoff, Retry-After and deadlines are checked without waiting and
 * without a timed assertion. Every sleep is remembered.
 */
final class SteppedTime extends Clock implements Sleeper {

    private volatile Instant now = Instant.parse("2026-03-02T09:00:00Z");
    private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

    @Override
    public synchronized void sleep(Duration duration) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        sleeps.add(duration);
        now = now.plus(duration);
    }

    List<Duration> sleeps() {
        return List.copyOf(sleeps);
    }

    Duration slept() {
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
