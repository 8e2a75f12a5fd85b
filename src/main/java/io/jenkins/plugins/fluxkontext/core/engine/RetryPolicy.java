package io.jenkins.plugins.fluxkontext.core.engine;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How often and how patiently calls are repeated (docs/reliability.md, "The retry rules, cell by cell"). Reads of a
 * paid task (status requests, downloads) are repeated after connection failures, 408, 429 and 5xx until the run's
 * deadline; an answer that cannot be read is asked again a few times only. The paid submit is repeated only when it
 * provably never reached the provider (connect failure, a few times) or the provider said 429 (nothing was created;
 * until the deadline); after any ambiguous failure it is never sent again. A {@code Retry-After} header wins over the
 * computed backoff, but a wait past the deadline ends the task instead.
 *
 * @param readAttempts          tries of a read whose answers cannot be read, and of an input image upload
 * @param submitConnectAttempts tries of a submit whose connection could not be opened
 * @param baseDelay             backoff before the first retry, doubled each time (full jitter)
 * @param maxDelay              cap on the computed backoff
 */
public record RetryPolicy(int readAttempts, int submitConnectAttempts, Duration baseDelay, Duration maxDelay) {

    /** BFL's SDK: 0.5 s doubling, full jitter; a lower cap than its 30 s, since a build waits on us. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(4, 4, Duration.ofMillis(500), Duration.ofSeconds(10));

    public RetryPolicy {
        if (readAttempts < 1 || submitConnectAttempts < 1) {
            throw new IllegalArgumentException("every attempt count must be at least 1");
        }
    }

    /** Full jitter: a uniform wait between zero and {@code min(maxDelay, baseDelay·2^(retry-1))}. */
    public Duration backoff(int retry, RandomGenerator random) {
        long ceiling = baseDelay.toMillis() << Math.min(20, Math.max(0, retry - 1));
        ceiling = Math.min(ceiling, maxDelay.toMillis());
        return Duration.ofMillis((long) (random.nextDouble() * ceiling));
    }
}
