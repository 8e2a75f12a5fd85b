package io.jenkins.plugins.fluxkontext.steps;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** What a running step says it is doing, for the Pipeline's step view and thread dumps ({@code getStatus()}). */
final class StepStatus {

    /** Where a step is. */
    enum Phase {
        /** Defaults, parameters, the credential, spending limits, a throttle slot: nothing sent yet. */
        PREPARING,
        /** The agent job runs: tasks are submitted, polled and downloaded. */
        RUNNING,
        /** The agent job runs again after a restart or a lost agent: the saved tasks are polled, nothing submitted. */
        RESUMING,
        /** The agent is not reachable; the step keeps its tasks and waits for it until the deadline. */
        WAITING_FOR_AGENT,
        /** Archiving and the build page. */
        FINISHING,
        /** Stopped: waiting for the agent to say which tasks were cancelled. */
        STOPPING
    }

    /** Times of day as the step's status and log lines give them. */
    static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private StepStatus() {}

    /**
     * @param phase     where the step is
     * @param provider  the provider id, e.g. {@code bfl}
     * @param taskCount tasks in the request
     * @param accepted  tasks the provider accepted so far
     * @param open      accepted tasks that have not ended
     * @param until     for {@link Phase#WAITING_FOR_AGENT}: the step's deadline, or {@code null}
     */
    static String describe(Phase phase, String provider, int taskCount, int accepted, int open, Instant until) {
        // Numbers are passed as text: the message format would group their digits by the reader's locale.
        return switch (phase) {
            case PREPARING -> Messages.StepStatus_Preparing(provider);
            case RUNNING ->
                accepted >= taskCount
                        ? Messages.StepStatus_Polling(tasks(open), provider)
                        : open > 0
                                ? Messages.StepStatus_SubmittingAndPolling(
                                        provider, String.valueOf(accepted), tasks(taskCount), String.valueOf(open))
                                : Messages.StepStatus_Submitting(provider, String.valueOf(accepted), tasks(taskCount));
            case RESUMING -> Messages.StepStatus_Resuming(tasks(open), provider);
            case WAITING_FOR_AGENT ->
                until == null
                        ? Messages.StepStatus_WaitingForAgent(tasks(accepted), provider)
                        : Messages.StepStatus_WaitingForAgentUntil(TIME.format(until), tasks(accepted), provider);
            case FINISHING -> Messages.StepStatus_Finishing();
            case STOPPING -> Messages.StepStatus_Stopping(tasks(open), provider);
        };
    }

    private static String tasks(int n) {
        return n == 1 ? Messages.StepStatus_OneTask() : Messages.StepStatus_Tasks(String.valueOf(n));
    }
}
