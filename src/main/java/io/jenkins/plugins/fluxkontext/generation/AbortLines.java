package io.jenkins.plugins.fluxkontext.generation;

import io.jenkins.plugins.fluxkontext.agent.GenerationReport;
import io.jenkins.plugins.fluxkontext.agent.GenerationReport.TaskRecord;
import io.jenkins.plugins.fluxkontext.agent.GenerationReport.TaskState;
import java.util.ArrayList;
import java.util.List;

/**
 * The log lines of a step that was stopped (abort, {@code timeout}) or that ended without word from its agent: what
 * became of each task, the ids that may still be billed, and every task id of the step. Printed on the controller,
 * so they are in the log even when the agent's own lines are lost with its channel.
 */
final class AbortLines {

    private AbortLines() {}

    /**
     * @param report  what the agent reported after the abort
     * @param summary the engine's sentence, e.g. {@code Aborted; 2 submitted task(s) may still run and be billed: …}
     */
    static List<String> of(GenerationReport report, String summary) {
        List<String> lines = new ArrayList<>();
        for (TaskRecord task : report.tasks()) {
            if (!task.state().succeeded() && task.state() != TaskState.NOT_SUBMITTED) {
                lines.add(task.message());
            }
        }
        if (summary != null && !summary.isBlank()) {
            lines.add(summary);
        }
        lines.add(allIds(report));
        return lines;
    }

    /** For a step that ended without word from its agent: every saved task may still run and be billed. */
    static List<String> abandoned(GenerationReport report, String why) {
        List<String> lines = new ArrayList<>();
        List<String> ids = report.tasks().stream()
                .filter(t -> t.state() == TaskState.ABANDONED)
                .map(TaskRecord::taskId)
                .toList();
        long unclear = report.tasks().stream()
                .filter(t -> t.state() == TaskState.SUBMIT_AMBIGUOUS)
                .count();
        lines.add("The step ended before its tasks did: " + why + ".");
        if (!ids.isEmpty()) {
            lines.add(ids.size() + " submitted task(s) may still run and be billed at " + report.provider() + ": "
                    + String.join(", ", ids));
        }
        if (unclear > 0) {
            lines.add(unclear + " task(s) without a saved id: their submit may have been on its way, so they may have"
                    + " been created and billed.");
        }
        if (ids.isEmpty() && unclear == 0) {
            lines.add("No task was submitted.");
        }
        return lines;
    }

    private static String allIds(GenerationReport report) {
        List<String> ids = report.taskIds();
        return ids.isEmpty()
                ? "No task of this step has an id at " + report.provider() + "."
                : "Task ids of this step at " + report.provider() + ": " + String.join(", ", ids);
    }
}
