package io.jenkins.plugins.fluxkontext.generation;

import io.jenkins.plugins.fluxkontext.agent.GenerationReport;
import io.jenkins.plugins.fluxkontext.agent.GenerationReport.TaskRecord;
import io.jenkins.plugins.fluxkontext.agent.GenerationReport.TaskState;
import io.jenkins.plugins.fluxkontext.parameters.ModerationPolicy;
import java.util.List;

/**
 * What a run means for the build: success, unstable (moderation with {@code onModeration: 'UNSTABLE'}) or failure,
 * with the message that says why. Any task that failed, timed out, may have been billed without a result, or was
 * refused fails the build; moderated tasks fail it unless the step says otherwise.
 *
 * @param outcome the build result the step asks for
 * @param message what to print (and, on failure, the step's error); empty on success
 */
public record BuildVerdict(Outcome outcome, String message) {

    public enum Outcome {
        SUCCESS,
        UNSTABLE,
        FAILURE
    }

    public static BuildVerdict of(GenerationReport report, ModerationPolicy onModeration) {
        List<TaskRecord> failures = report.failures();
        if (failures.isEmpty()) {
            return new BuildVerdict(Outcome.SUCCESS, "");
        }
        boolean onlyModerated = failures.stream().allMatch(t -> t.state() == TaskState.MODERATED);
        Outcome outcome =
                onlyModerated && onModeration == ModerationPolicy.UNSTABLE ? Outcome.UNSTABLE : Outcome.FAILURE;
        StringBuilder message = new StringBuilder("FLUX.1 Kontext: ");
        int total = report.tasks().size();
        message.append(failures.size())
                .append(" of ")
                .append(total)
                .append(total == 1 ? " task" : " tasks")
                .append(onlyModerated ? " moderated" : " did not succeed")
                .append(outcome == Outcome.UNSTABLE ? " (onModeration: UNSTABLE)" : "")
                .append(':');
        for (TaskRecord failure : failures) {
            message.append("\n  ").append(failure.message()).append(billingNote(failure.billing()));
        }
        return new BuildVerdict(outcome, message.toString());
    }

    private static String billingNote(String billing) {
        return switch (billing) {
            case "BILLED" -> " [billed]";
            case "MAYBE_BILLED" -> " [a charge may have happened]";
            default -> " [not billed]";
        };
    }
}
