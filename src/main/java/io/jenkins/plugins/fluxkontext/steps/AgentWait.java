package io.jenkins.plugins.fluxkontext.steps;

import java.time.Duration;
import java.time.Instant;

/**
 * How a step whose agent went away waits for it to come back: until the step's deadline, trying again after 5 s and
 * then after twice as long each time, up to 30 s, and saying in the log once a minute that it still waits.
 */
final class AgentWait {

    static final Duration FIRST_RETRY = Duration.ofSeconds(5);
    static final Duration LONGEST_RETRY = Duration.ofSeconds(30);
    /** How often the log repeats that the step waits for its agent. */
    static final Duration NOTICE_EVERY = Duration.ofMinutes(1);

    private final Instant deadline;
    private Duration pause = FIRST_RETRY;
    private Instant lastNotice;

    /** @param deadline the step's deadline; {@code null} (not known) ends the wait at once */
    AgentWait(Instant deadline) {
        this.deadline = deadline;
    }

    Instant deadline() {
        return deadline;
    }

    /** Whether the deadline has passed, or is not known: the step stops waiting and gives its tasks up. */
    boolean isOver(Instant now) {
        return deadline == null || now.isAfter(deadline);
    }

    /** Whether the log should say again that the step waits; once it returns {@code true}, a minute passes. */
    boolean noticeDue(Instant now) {
        if (lastNotice != null && Duration.between(lastNotice, now).compareTo(NOTICE_EVERY) < 0) {
            return false;
        }
        lastNotice = now;
        return true;
    }

    /** How long to wait before the next try, never past the deadline; each call doubles the next, up to 30 s. */
    Duration nextPause(Instant now) {
        long millis = Math.max(
                1, Math.min(pause.toMillis(), Duration.between(now, deadline).toMillis() + 1));
        pause = pause.multipliedBy(2).compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : pause.multipliedBy(2);
        return Duration.ofMillis(millis);
    }
}
