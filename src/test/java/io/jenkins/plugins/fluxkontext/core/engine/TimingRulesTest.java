package io.jenkins.plugins.fluxkontext.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The numbers behind waiting: Retry-After and backoff (the poll schedule has AdaptivePollScheduleTest). */
class TimingRulesTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-01-15T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void retryAfterIsReadAsSecondsOrAnHttpDate() {
        assertThat(RetryAfter.parse("3", clock)).isEqualTo(Duration.ofSeconds(3));
        assertThat(RetryAfter.parse("Thu, 15 Jan 2026 10:01:00 GMT", clock)).isEqualTo(Duration.ofMinutes(1));
        assertThat(RetryAfter.parse("Thu, 15 Jan 2026 09:00:00 GMT", clock))
                .as("in the past")
                .isZero();
        assertThat(RetryAfter.parse("soon", clock)).isNull();
        assertThat(RetryAfter.parse(null, clock)).isNull();
    }

    @Test
    void backoffDoublesUpToItsCapWithFullJitter() {
        RetryPolicy policy = RetryPolicy.DEFAULT;
        SplittableRandom random = new SplittableRandom(7);
        for (int retry = 1; retry <= 12; retry++) {
            long ceiling = Math.min(500L << (retry - 1), 10_000);
            for (int i = 0; i < 50; i++) {
                assertThat(policy.backoff(retry, random).toMillis()).isBetween(0L, ceiling);
            }
        }
    }

    @Test
    void manyClientsBackingOffTogetherDoNotWaitAlike() {
        SplittableRandom random = new SplittableRandom(1);
        long distinct = IntStream.range(0, 100)
                .mapToObj(i -> RetryPolicy.DEFAULT.backoff(3, random))
                .distinct()
                .count();
        assertThat(distinct).isGreaterThan(50);
    }
}
