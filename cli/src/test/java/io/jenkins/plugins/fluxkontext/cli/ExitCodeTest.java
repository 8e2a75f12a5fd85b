package io.jenkins.plugins.fluxkontext.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.fluxkontext.core.engine.GenerationResult;
import io.jenkins.plugins.fluxkontext.core.task.Billing;
import io.jenkins.plugins.fluxkontext.core.task.TaskHandle;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome.ModerationSide;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome.RejectionKind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExitCodeTest {

    private static final TaskHandle HANDLE =
            TaskHandle.of("bfl", "task-1", "http://127.0.0.1/v1/get_result?id=task-1", 1, Instant.EPOCH);

    static final TaskOutcome SUCCEEDED = new TaskOutcome.Succeeded(1, HANDLE, List.of(), 1L, null);
    static final TaskOutcome FAILED = new TaskOutcome.Failed(1, HANDLE, null, "boom", Billing.BILLED);
    static final TaskOutcome MODERATED =
            new TaskOutcome.Moderated(1, HANDLE, ModerationSide.OUTPUT, List.of(), Billing.NOT_BILLED);
    static final TaskOutcome TIMED_OUT = new TaskOutcome.TimedOut(1, HANDLE, Duration.ofMinutes(10));
    static final TaskOutcome AMBIGUOUS = new TaskOutcome.SubmitAmbiguous(1, null, "connection reset");
    static final TaskOutcome AUTH = new TaskOutcome.Rejected(1, RejectionKind.AUTHENTICATION, 403, "");

    @Test
    void eachOutcomeHasItsCode() {
        assertThat(ExitCode.of(SUCCEEDED).code()).isZero();
        assertThat(ExitCode.of(FAILED).code()).isEqualTo(3);
        assertThat(ExitCode.of(new TaskOutcome.DownloadFailed(1, HANDLE, "truncated"))
                        .code())
                .isEqualTo(3);
        assertThat(ExitCode.of(new TaskOutcome.NotFound(1, HANDLE, null)).code())
                .isEqualTo(3);
        assertThat(ExitCode.of(new TaskOutcome.Cancelled(1, HANDLE, false, Billing.MAYBE_BILLED))
                        .code())
                .isEqualTo(3);
        assertThat(ExitCode.of(new TaskOutcome.NotSubmitted(1, "unreachable")).code())
                .isEqualTo(3);
        assertThat(ExitCode.of(MODERATED).code()).isEqualTo(4);
        assertThat(ExitCode.of(TIMED_OUT).code()).isEqualTo(5);
        assertThat(ExitCode.of(AMBIGUOUS).code()).isEqualTo(5);
        assertThat(ExitCode.of(AUTH).code()).isEqualTo(6);
        assertThat(ExitCode.of(new TaskOutcome.Rejected(1, RejectionKind.INSUFFICIENT_CREDITS, 402, ""))
                        .code())
                .isEqualTo(6);
        assertThat(ExitCode.of(new TaskOutcome.Rejected(1, RejectionKind.INVALID_REQUEST, 422, ""))
                        .code())
                .isEqualTo(2);
        assertThat(ExitCode.of(new TaskOutcome.Rejected(1, RejectionKind.RATE_LIMITED, 429, ""))
                        .code())
                .isEqualTo(3);
    }

    @Test
    void aRunIsZeroOnlyWhenEveryTaskSucceededAndOtherwiseTheHighestCodeWins() {
        assertThat(ExitCode.of(result(SUCCEEDED, SUCCEEDED)).code()).isZero();
        assertThat(ExitCode.of(result(SUCCEEDED, FAILED)).code()).isEqualTo(3);
        assertThat(ExitCode.of(result(FAILED, MODERATED)).code()).isEqualTo(4);
        assertThat(ExitCode.of(result(MODERATED, AMBIGUOUS, FAILED)).code()).isEqualTo(5);
        assertThat(ExitCode.of(result(TIMED_OUT, AUTH)).code()).isEqualTo(6);
        assertThat(ExitCode.of(result()).code())
                .as("no outcome at all is a failure")
                .isEqualTo(3);
    }

    private static GenerationResult result(TaskOutcome... outcomes) {
        return new GenerationResult(List.of(outcomes), null);
    }
}
