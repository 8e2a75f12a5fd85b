package io.jenkins.plugins.fluxkontext.core.provider;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How often a provider's documentation lets a client ask for a task's status: no status request before
 * {@code firstAfter} from the submit's answer, none sooner than {@code between} after the one before, each wait lengthened by a
 * random share of {@code jitter} so that many clients do not ask in step. The engine's own schedule may wait longer,
 * never shorter. {@link #NONE} for a provider that documents no pacing.
 *
 * @param firstAfter the earliest first status request, counted from the submit's answer
 * @param between    the shortest gap between two status requests of one task
 * @param jitter     up to this much is added at random to every wait that the pacing decides
 */
public record StatusPacing(Duration firstAfter, Duration between, Duration jitter) {

    public static final StatusPacing NONE = new StatusPacing(Duration.ZERO, Duration.ZERO, Duration.ZERO);

    public StatusPacing {
        for (Duration d : new Duration[] {firstAfter, between, jitter}) {
            if (d == null || d.isNegative()) {
                throw new IllegalArgumentException("every pacing figure must be zero or more");
            }
        }
    }

    public boolean isNone() {
        return firstAfter.isZero() && between.isZero() && jitter.isZero();
    }

    /**
     * The wait before the next status request: {@code planned} (what the engine's schedule wants), lengthened where
     * this pacing asks for more.
     *
     * @param pollsSoFar  status requests already sent for the task (0 before the first)
     * @param sinceAnswer time since the submit's answer
     * @param planned     the schedule's wait
     */
    public Duration apply(int pollsSoFar, Duration sinceAnswer, Duration planned, RandomGenerator random) {
        if (isNone()) {
            return planned;
        }
        Duration floor = pollsSoFar == 0 ? firstAfter.minus(sinceAnswer) : between;
        if (planned.compareTo(floor) >= 0) {
            return planned;
        }
        long jitterMillis = jitter.toMillis();
        return floor.plusMillis(jitterMillis == 0 ? 0 : (long) (random.nextDouble() * jitterMillis));
    }
}
