package io.jenkins.plugins.fluxkontext.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The default poll schedule's decisions, from the numbers alone: where it places the next poll for a given progress
 * reading, and, against a provider whose progress grows evenly and is rounded to whole percent, how soon it sees the
 * end and how many requests that costs. No clock, no sleeping.
 */
class AdaptivePollScheduleTest {

    private final AdaptivePollSchedule schedule = AdaptivePollSchedule.DEFAULT;

    private Duration next(int polls, long elapsedMillis, Integer percent) {
        return schedule.nextDelay(polls, Duration.ofMillis(elapsedMillis), percent);
    }

    @Test
    void theFirstPollComesWhereTheEarliestTasksEndPlusOneGap() {
        // The prior (median 8 s, p95 30 s): 1.5 % of tasks end within 1.399 s; one gap of 220 ms later.
        assertThat(next(0, 0, null)).isEqualTo(Duration.ofMillis(1619));
        // Learnt: tasks of about 2 s (log-normal, median 2 s, p95 2.2 s) start ending at 1.764 s.
        assertThat(schedule.expecting(ExpectedDuration.ofMedianAndP95(Duration.ofSeconds(2), Duration.ofMillis(2200)))
                        .nextDelay(0, Duration.ZERO, null))
                .isEqualTo(Duration.ofMillis(1764 + 220));
    }

    @Test
    void anEarlyReadingWaitsMostOfTheWayToTheEarliestEndAndReadsAgainThere() {
        // 10 % after 1 s: the end lies before 1·100/9.5 = 10.5 s, and after 0.25 + 0.75·100/10.5 = 7.39 s should the
        // provider's clock have started 250 ms after our send; 90 % of the way to 7.39 s.
        assertThat(next(1, 1000, 10)).isEqualTo(Duration.ofMillis(5754));
        // A 2 s task read at 50 %: 1.735 s to 2.020 s is still wider than 150 ms, so one more reading first.
        assertThat(next(1, 1000, 50)).isEqualTo(Duration.ofMillis(662));
    }

    @Test
    void aNarrowWindowGetsOnePollJustAfterItsEnd() {
        // 90 % after 1.8 s: the end lies between 1.963 s and 2.011 s; poll at 2.011 s and 10 ms.
        assertThat(next(2, 1800, 90)).isEqualTo(Duration.ofMillis(221));
        // Read late (90 % after 9 s), the window (9.919 s to 10.056 s) is as narrow as it will get: no second reading.
        assertThat(next(2, 9000, 90)).isEqualTo(Duration.ofMillis(1066));
    }

    @Test
    void aWideWindowAtTheEndIsCoveredInEvenStepsNoLongerThanTheStep() {
        // 99 % may be held until the end: the task ends by 59.6·100/98.5 = 60.508 s, maybe any moment; 7 steps of 129
        // ms.
        assertThat(next(8, 59_600, 99)).isEqualTo(Duration.ofMillis(129));
        assertThat(next(9, 60_000, 100)).as("100 % and still running").isEqualTo(Duration.ofMillis(150));
    }

    @Test
    void noWaitIsLongerThanTheCeiling() {
        // 1 % after 1 s: at least 49 s to go, but the reading is coarse.
        assertThat(next(1, 1000, 1)).isEqualTo(Duration.ofSeconds(10));
    }

    /** Log-normal, median 6 s, p95 20 s: a BFL-like provider that reports no progress. */
    private static final ExpectedDuration LONG_TAILED =
            ExpectedDuration.ofMedianAndP95(Duration.ofSeconds(6), Duration.ofSeconds(20));

    @Test
    void withoutProgressItPollsEveryGapWhereTasksEndAndThinsOutInTheTail() {
        PollSchedule learnt = schedule.expecting(LONG_TAILED);
        // 1.5 % of these tasks end within 1.225 s: nothing before 1.445 s.
        assertThat(learnt.nextDelay(0, Duration.ZERO, null)).isEqualTo(Duration.ofMillis(1445));
        assertThat(learnt.nextDelay(1, Duration.ofMillis(1000), null)).isEqualTo(Duration.ofMillis(445));
        assertThat(learnt.nextDelay(3, Duration.ofMillis(4000), null)).isEqualTo(Duration.ofMillis(220));
        assertThat(learnt.nextDelay(3, Duration.ofMillis(4000), 0))
                .as("0 % may only mean queued")
                .isEqualTo(Duration.ofMillis(220));
        // 99.5 % end within 39.534 s; 2 s past that, the gap has grown by half of 2 s.
        assertThat(learnt.nextDelay(100, Duration.ofMillis(41_534), null)).isEqualTo(Duration.ofMillis(1220));
        assertThat(learnt.nextDelay(120, Duration.ofMinutes(5), null)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void aTaskStuckNearTheEndCostsAtMostOnePollASecondOnceTheBurstIsSpent() {
        // 20 polls by 10 s is over 5 + 10/1 s: the 21st waits until 16 s.
        assertThat(next(20, 10_000, 99)).isEqualTo(Duration.ofSeconds(6));
        assertThat(next(4, 10_000, 99)).as("within the budget").isEqualTo(Duration.ofMillis(76));
    }

    /**
     * Without progress, against every fixed poll of 250 ms to 1 s, on 4,000 tasks at evenly spaced quantiles of the
     * long-tailed distribution it has learnt: a lower 95th percentile of the lag than any fixed poll that makes as
     * many requests, because it asks nothing in the first second and a half, where 1.5 % of the tasks end.
     */
    @Test
    void withoutProgressItSeesTheEndSoonerThanAnyFixedPollThatAsksAsOften() {
        long[] ours = lagP95AndPolls(schedule.expecting(LONG_TAILED));
        for (long fixedMillis : new long[] {250, 500, 750, 1000}) {
            long[] fixed = lagP95AndPolls(PollSchedule.fixed(Duration.ofMillis(fixedMillis)));
            if (fixed[1] >= ours[1]) {
                assertThat(ours[0])
                        .as(
                                "p95 lag, ms, against a fixed %s ms poll (%s polls per 100 tasks to our %s)",
                                fixedMillis, fixed[1], ours[1])
                        .isLessThan(fixed[0]);
            }
        }
        assertThat(ours[1])
                .as("polls per 100 tasks")
                .isLessThan(lagP95AndPolls(PollSchedule.fixed(Duration.ofMillis(250)))[1]);
        assertThat(ours[0]).as("p95 lag, ms").isLessThanOrEqualTo(220);
    }

    /** The 95th percentile of the lag (ms) and the polls per 100 tasks, over 4,000 tasks without progress. */
    private static long[] lagP95AndPolls(PollSchedule schedule) {
        int tasks = 4000;
        long[] lags = new long[tasks];
        long polls = 0;
        for (int i = 0; i < tasks; i++) {
            long duration = Math.round(LONG_TAILED.quantileMillis((i + 0.5) / tasks));
            long t = 0;
            int n = 0;
            while (t < duration) {
                t += schedule.nextDelay(n, Duration.ofMillis(t), null).toMillis();
                n++;
            }
            lags[i] = t - duration;
            polls += n;
        }
        Arrays.sort(lags);
        return new long[] {lags[(int) Math.ceil(0.95 * tasks) - 1], polls * 100 / tasks};
    }

    /** A task that ends at {@code durationMillis}, reporting its progress rounded to whole percent, held at 99 %. */
    private record EvenTask(long durationMillis) {
        Integer percentAt(long t) {
            return (int) Math.min(99, Math.round(100.0 * t / durationMillis));
        }
    }

    /**
     * Polls an even task with the schedule, the provider's clock starting {@code startMillis} after our send: the lag
     * after its end, and the polls made.
     */
    private static long[] follow(PollSchedule schedule, long durationMillis, long startMillis) {
        EvenTask task = new EvenTask(durationMillis);
        long t = 0;
        int polls = 0;
        Integer percent = null;
        while (true) {
            t += schedule.nextDelay(polls, Duration.ofMillis(t), percent).toMillis();
            polls++;
            long running = t - startMillis;
            if (running >= durationMillis) {
                return new long[] {running - durationMillis, polls};
            }
            percent = task.percentAt(Math.max(0, running));
        }
    }

    @ParameterizedTest(name = "{0} ms")
    @ValueSource(longs = {1_900, 2_000, 2_170, 5_000, 7_300, 10_000, 10_900, 30_000, 54_000, 60_000, 66_000, 120_000})
    void anEvenTaskIsSeenWithinAStepOfItsEndWithFewerPollsThanAFixedHalfSecondPoll(long duration) {
        for (long start : new long[] {0, 5, 100, 250}) {
            long[] ours = follow(schedule, duration, start);
            long[] fixed = follow(PollSchedule.fixed(Duration.ofMillis(500)), duration, start);

            assertThat(ours[0])
                    .as("lag after the end, ms, clock started %s ms after the send", start)
                    .isLessThanOrEqualTo(150 + 10);
            assertThat(ours[1])
                    .as("polls, against %s of a 500 ms poll", fixed[1])
                    .isLessThan(fixed[1]);
        }
    }

    @Test
    void theBaselinesOfOtherClientsAreSchedulesToo() {
        PollSchedule fixed = PollSchedule.fixed(Duration.ofMillis(500));
        assertThat(fixed.nextDelay(0, Duration.ZERO, null)).isEqualTo(Duration.ofMillis(500));
        assertThat(fixed.nextDelay(7, Duration.ofSeconds(9), 40)).isEqualTo(Duration.ofMillis(500));

        PollSchedule bflReference = PollSchedule.growing(Duration.ofSeconds(1), 1.5, Duration.ofSeconds(5));
        assertThat(IntStream.range(0, 7)
                        .mapToObj(n ->
                                bflReference.nextDelay(n, Duration.ZERO, null).toMillis()))
                .containsExactly(1000L, 1500L, 2250L, 3375L, 5000L, 5000L, 5000L);

        assertThatThrownBy(() -> PollSchedule.fixed(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PollSchedule.growing(Duration.ofSeconds(2), 0.5, Duration.ofSeconds(5)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
