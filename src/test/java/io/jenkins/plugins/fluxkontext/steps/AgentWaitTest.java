package io.jenkins.plugins.fluxkontext.steps;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A step whose agent went away tries again soon, then less often, says so once a minute, and stops at its deadline. */
class AgentWaitTest {

    private static final Instant NOW = Instant.parse("2026-08-20T10:00:00Z");

    @Test
    void triesAgainAfterFiveSecondsThenTwiceAsLongUpToThirty() {
        AgentWait wait = new AgentWait(NOW.plus(Duration.ofMinutes(10)));
        List<Duration> pauses = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            pauses.add(wait.nextPause(NOW));
        }
        assertThat(pauses)
                .containsExactly(
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(20),
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(30));
    }

    @Test
    void neverSleepsPastTheDeadline() {
        AgentWait wait = new AgentWait(NOW.plusSeconds(3));

        assertThat(wait.nextPause(NOW)).isEqualTo(Duration.ofMillis(3001));
        assertThat(wait.isOver(NOW.plusSeconds(3))).isFalse();
        assertThat(wait.isOver(NOW.plusMillis(3001))).isTrue();
    }

    @Test
    void aStepThatDoesNotKnowItsDeadlineDoesNotWait() {
        assertThat(new AgentWait(null).isOver(NOW)).isTrue();
    }

    @Test
    void saysItStillWaitsOnceAMinute() {
        AgentWait wait = new AgentWait(NOW.plus(Duration.ofMinutes(10)));

        assertThat(wait.noticeDue(NOW)).isTrue();
        assertThat(wait.noticeDue(NOW.plusSeconds(59))).isFalse();
        assertThat(wait.noticeDue(NOW.plusSeconds(60))).isTrue();
        assertThat(wait.noticeDue(NOW.plusSeconds(90))).isFalse();
    }
}
