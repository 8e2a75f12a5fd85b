package io.jenkins.plugins.fluxkontext.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.fluxkontext.steps.StepStatus.Phase;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StepStatusTest {

    @Test
    void saysWhatTheStepIsDoing() {
        assertThat(StepStatus.describe(Phase.PREPARING, "bfl", 0, 0, 0, null))
                .isEqualTo("checking limits and waiting for a slot at bfl; nothing submitted");
        assertThat(StepStatus.describe(Phase.RUNNING, "bfl", 4, 1, 1, null))
                .isEqualTo("submitting to bfl: 1 of 4 tasks accepted, polling 1");
        assertThat(StepStatus.describe(Phase.RUNNING, "bfl", 3, 3, 3, null)).isEqualTo("polling 3 tasks at bfl");
        assertThat(StepStatus.describe(Phase.RUNNING, "bfl", 1, 1, 1, null)).isEqualTo("polling 1 task at bfl");
        assertThat(StepStatus.describe(Phase.RESUMING, "bfl", 2, 2, 2, null))
                .isEqualTo("polling 2 tasks at bfl again (resumed; nothing is submitted)");
        assertThat(StepStatus.describe(Phase.WAITING_FOR_AGENT, "bfl", 2, 2, 2, Instant.parse("2026-08-20T10:15:30Z")))
                .isEqualTo("waiting for the agent to come back until 10:15:30 UTC; 2 tasks at bfl kept");
        assertThat(StepStatus.describe(Phase.FINISHING, "bfl", 2, 2, 0, null)).isEqualTo("archiving images");
        assertThat(StepStatus.describe(Phase.STOPPING, "fal", 2, 2, 2, null))
                .isEqualTo("stopping: waiting for the agent to cancel 2 tasks at fal");
    }
}
