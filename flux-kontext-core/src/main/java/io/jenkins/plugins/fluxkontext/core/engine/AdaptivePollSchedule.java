package io.jenkins.plugins.fluxkontext.core.engine;

import java.time.Duration;

/**
 * The default {@link PollSchedule}: one quick early poll (moderation and bad input come back at once), then waits
 * sized by where the task probably is, tight only when it is probably about to finish.
 *
 * <ul>
 *   <li>With progress {@code p} at time {@code t}, the task should finish after about {@code t·100/p}; wait 60 % of
 *       the estimated remainder, between {@code floor} and {@code ceiling}. Overdue: poll every {@code floor}.</li>
 *   <li>Without progress, assume a task takes about {@code typical}: wait in steps of at most {@code ceiling} until
 *       60 % of that, then poll every {@code near}.</li>
 * </ul>
 *
 * The numbers are a starting point for the poll-lag benchmark (target: p95 detection lag of 250 ms or less, with
 * fewer requests than a fixed 500 ms poll); change them here, nowhere else.
 */
public record AdaptivePollSchedule(Duration first, Duration floor, Duration near, Duration ceiling, Duration typical)
        implements PollSchedule {

    /** FLUX.1 Kontext [max] typically needs some 5 to 10 s on BFL. */
    public static final AdaptivePollSchedule DEFAULT = new AdaptivePollSchedule(Duration.ofMillis(500),
            Duration.ofMillis(150), Duration.ofMillis(250), Duration.ofSeconds(2), Duration.ofSeconds(6));

    @Override
    public Duration nextDelay(int pollsSoFar, Duration sinceSubmit, Integer percent) {
        if (pollsSoFar == 0) {
            return first;
        }
        long elapsed = Math.max(1, sinceSubmit.toMillis());
        if (percent != null && percent > 0 && percent < 100) {
            long expectedTotal = elapsed * 100 / percent;
            long remaining = expectedTotal - elapsed;
            return clamp(Duration.ofMillis(remaining * 6 / 10), floor, ceiling);
        }
        if (percent != null && percent >= 100) {
            return floor;
        }
        long untilLikelyDone = typical.toMillis() * 6 / 10 - elapsed;
        if (untilLikelyDone > near.toMillis()) {
            return clamp(Duration.ofMillis(untilLikelyDone), near, ceiling);
        }
        return near;
    }

    private static Duration clamp(Duration d, Duration min, Duration max) {
        return d.compareTo(min) < 0 ? min : d.compareTo(max) > 0 ? max : d;
    }
}
