package io.jenkins.plugins.fluxkontext.cli;

import io.jenkins.plugins.fluxkontext.core.engine.GenerationResult;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;

/**
 * The process exit codes, and the one place that maps task outcomes onto them. When the tasks of one request end
 * differently, the highest code wins: an authentication problem outranks a possible charge, which outranks
 * moderation, which outranks a failure.
 */
enum ExitCode {
    /** Every image was written. */
    OK(0),
    /** The input was invalid: refused by our checks before anything was sent, or by the provider before any task. */
    INVALID_INPUT(2),
    /** A task failed (at the provider, or its image could not be saved). */
    TASK_FAILED(3),
    /** A task was moderated (request or output side). */
    MODERATED(4),
    /** A task timed out or its submit got no clear answer: a charge may have happened. */
    MAYBE_BILLED(5),
    /** The key was refused or the account lacks credits. */
    ACCOUNT(6);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    int code() {
        return code;
    }

    static ExitCode of(TaskOutcome outcome) {
        return switch (outcome) {
            case TaskOutcome.Succeeded s -> OK;
            case TaskOutcome.Reused r -> OK;
            case TaskOutcome.Moderated m -> MODERATED;
            case TaskOutcome.TimedOut t -> MAYBE_BILLED;
            case TaskOutcome.SubmitAmbiguous a -> MAYBE_BILLED;
            case TaskOutcome.Rejected r ->
                switch (r.kind()) {
                    case AUTHENTICATION, INSUFFICIENT_CREDITS -> ACCOUNT;
                    case INVALID_REQUEST -> INVALID_INPUT;
                    case RATE_LIMITED, OTHER -> TASK_FAILED;
                };
            case TaskOutcome.Failed f -> TASK_FAILED;
            case TaskOutcome.DownloadFailed d -> TASK_FAILED;
            case TaskOutcome.NotFound n -> TASK_FAILED;
            case TaskOutcome.Cancelled c -> TASK_FAILED;
            // Never sent (unreachable, or the deadline passed while waiting for a slot): nothing can have been billed.
            case TaskOutcome.NotSubmitted n -> TASK_FAILED;
        };
    }

    /** The code for a whole run: 0 only when every task wrote its images. */
    static ExitCode of(GenerationResult result) {
        if (result.outcomes().isEmpty()) {
            return TASK_FAILED;
        }
        ExitCode worst = OK;
        for (TaskOutcome outcome : result.outcomes()) {
            ExitCode code = of(outcome);
            if (code.code > worst.code) {
                worst = code;
            }
        }
        return worst;
    }

    /** The larger of two codes, for commands that run several requests (the demo). */
    ExitCode worse(ExitCode other) {
        return other.code > code ? other : this;
    }
}
