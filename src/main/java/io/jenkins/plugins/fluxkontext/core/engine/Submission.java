package io.jenkins.plugins.fluxkontext.core.engine;

import io.jenkins.plugins.fluxkontext.core.provider.SubmitAccepted;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;

/**
 * How a task's first step ended, by a submit or, on resume, by taking up its saved handle: a task exists at the
 * provider, or this task is over.
 */
sealed interface Submission {

    record Created(SubmitAccepted accepted) implements Submission {}

    record Ended(TaskOutcome outcome) implements Submission {}

    static Submission ended(TaskOutcome outcome) {
        return new Ended(outcome);
    }
}
