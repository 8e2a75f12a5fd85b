package io.jenkins.plugins.fluxkontext.core.engine;

import java.time.Duration;

/**
 * When to ask a running task for its status next. Polling too often costs requests (and rate-limit budget); too
 * rarely, the image waits for us (and BFL's signed link ages). The engine clamps the answer to its deadline.
 */
@FunctionalInterface
public interface PollSchedule {

    /**
     * @param pollsSoFar   status requests already answered for this task (0 before the first)
     * @param sinceSubmit  time since the provider accepted the task
     * @param percent      the provider's last reported progress, 0 to 100, or {@code null} when it reports none
     * @return how long to wait before the next status request
     */
    Duration nextDelay(int pollsSoFar, Duration sinceSubmit, Integer percent);

    /**
     * The schedule for a task whose provider and model took {@code durations} on this machine so far; a schedule
     * that does not use them (a fixed poll) is itself.
     */
    default PollSchedule expecting(ExpectedDuration durations) {
        return this;
    }

    /** The same wait before every poll: what the Replicate and fal clients do (500 ms there). */
    static PollSchedule fixed(Duration interval) {
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the poll interval must be positive");
        }
        return (pollsSoFar, sinceSubmit, percent) -> interval;
    }

    /**
     * {@code first}, then each wait {@code factor} times the one before, never longer than {@code cap}: BFL's reference
     * client uses 1 s, ×1.5, 5 s. Progress is ignored.
     */
    static PollSchedule growing(Duration first, double factor, Duration cap) {
        if (first == null
                || first.isNegative()
                || first.isZero()
                || cap == null
                || cap.compareTo(first) < 0
                || !(factor >= 1.0)) {
            throw new IllegalArgumentException("need 0 < first <= cap and a factor of 1 or more");
        }
        return (pollsSoFar, sinceSubmit, percent) -> {
            double millis = first.toMillis() * Math.pow(factor, pollsSoFar);
            return millis >= cap.toMillis() ? cap : Duration.ofMillis(Math.round(millis));
        };
    }
}
