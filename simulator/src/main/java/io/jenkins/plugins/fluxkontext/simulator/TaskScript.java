package io.jenkins.plugins.fluxkontext.simulator;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * What will happen to one submitted task: its faults and the knobs they take. Built from the prompt's words and
 * the server's {@link FaultPlan}; immutable.
 *
 * @param faults           the faults that apply
 * @param latency          how long the task runs; {@code null} draws from the server's latency distribution
 * @param rateLimitedSubmits with {@link Fault#RATE_LIMIT}: how many submits of the same prompt answer 429
 * @param failingPolls     with {@link Fault#SERVER_ERROR_POLL}: how many polls answer 503 before the real answer
 * @param slowBody         with {@link Fault#SLOW_BODY}: how long the image body takes to trickle out
 */
public record TaskScript(
        Set<Fault> faults, Duration latency, int rateLimitedSubmits, int failingPolls, Duration slowBody) {

    public static final int DEFAULT_FAILING_POLLS = 2;
    public static final Duration DEFAULT_SLOW_BODY = Duration.ofSeconds(5);
    /** Polls answered 503 by {@link Fault#POLL_OUTAGE}: more than a client that gives up after four tries waits. */
    public static final int OUTAGE_POLLS = 8;
    /** Submits answered 429 by {@link Fault#RATE_LIMIT_STORM}: more than a client that gives up after six waits. */
    public static final int STORM_REFUSALS = 10;

    public static final TaskScript PLAIN = new TaskScript(Set.of(), null, 1, DEFAULT_FAILING_POLLS, DEFAULT_SLOW_BODY);

    public TaskScript {
        faults = faults.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(faults));
    }

    public static TaskScript of(Fault... faults) {
        return PLAIN.with(Set.of(faults));
    }

    public boolean has(Fault fault) {
        return faults.contains(fault);
    }

    public TaskScript with(Set<Fault> more) {
        if (more.isEmpty()) {
            return this;
        }
        EnumSet<Fault> all = faults.isEmpty() ? EnumSet.noneOf(Fault.class) : EnumSet.copyOf(faults);
        all.addAll(more);
        return new TaskScript(all, latency, rateLimitedSubmits, failingPolls, slowBody);
    }

    public TaskScript withLatency(Duration value) {
        return new TaskScript(faults, value, rateLimitedSubmits, failingPolls, slowBody);
    }

    public TaskScript withRateLimitedSubmits(int value) {
        return new TaskScript(faults, latency, value, failingPolls, slowBody);
    }

    public TaskScript withFailingPolls(int value) {
        return new TaskScript(faults, latency, rateLimitedSubmits, value, slowBody);
    }

    public TaskScript withSlowBody(Duration value) {
        return new TaskScript(faults, latency, rateLimitedSubmits, failingPolls, value);
    }
}
