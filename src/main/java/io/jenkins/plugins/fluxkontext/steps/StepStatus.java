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
        return switch (phase) {
            case PREPARING -> "checking limits and waiting for a slot at " + provider + "; nothing submitted";
            case RUNNING ->
                accepted < taskCount
                        ? "submitting to " + provider + ": " + accepted + " of " + tasks(taskCount) + " accepted"
                                + (open > 0 ? ", polling " + open : "")
                        : "polling " + tasks(open) + " at " + provider;
            case RESUMING -> "polling " + tasks(open) + " at " + provider + " again (resumed; nothing is submitted)";
            case WAITING_FOR_AGENT ->
                "waiting for the agent to come back" + (until == null ? "" : " until " + TIME.format(until)) + "; "
                        + tasks(accepted) + " at " + provider + " kept";
            case FINISHING -> "archiving images";
            case STOPPING -> "stopping: waiting for the agent to cancel " + tasks(open) + " at " + provider;
        };
    }

    private static String tasks(int n) {
        return n + (n == 1 ? " task" : " tasks");
    }
}
