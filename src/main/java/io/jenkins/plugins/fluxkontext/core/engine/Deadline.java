package io.jenkins.plugins.fluxkontext.core.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** The end of a job's time budget, read from the engine's clock. */
record Deadline(Clock clock, Instant end, Duration total) {

    static Deadline after(Clock clock, Duration total) {
        return new Deadline(clock, clock.instant().plus(total), total);
    }

    Duration remaining() {
        Duration left = Duration.between(clock.instant(), end);
        return left.isNegative() ? Duration.ZERO : left;
    }

    boolean passed() {
        return remaining().isZero();
    }
}
