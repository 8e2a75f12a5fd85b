package io.jenkins.plugins.fluxkontext.core.engine;

import io.jenkins.plugins.fluxkontext.core.task.Cost;
import io.jenkins.plugins.fluxkontext.core.task.TaskHandle;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;
import io.jenkins.plugins.fluxkontext.core.task.WrittenImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Everything a request produced: one outcome per task (in task order), the images on disk, and the manifest.
 *
 * @param outcomes one per task, ordered by {@link TaskOutcome#index()}
 * @param manifest the manifest JSON listing every task and image; {@code null} when sidecars are off or it could
 *                 not be written (then {@code warnings} says why)
 * @param warnings  problems that did not change any task's outcome, for the build log
 * @param simulated the provider simulator answered (on loopback): nothing was billed, costs are what a real provider
 *                  would charge
 */
public record GenerationResult(List<TaskOutcome> outcomes, Path manifest, List<String> warnings, boolean simulated) {

    public GenerationResult {
        outcomes = List.copyOf(outcomes);
        warnings = List.copyOf(warnings);
    }

    public GenerationResult(List<TaskOutcome> outcomes, Path manifest, List<String> warnings) {
        this(outcomes, manifest, warnings, false);
    }

    public GenerationResult(List<TaskOutcome> outcomes, Path manifest) {
        this(outcomes, manifest, List.of());
    }

    /** Every image written, made now or reused from an earlier run, in image order. */
    public List<WrittenImage> images() {
        return outcomes.stream()
                .flatMap(o -> switch (o) {
                    case TaskOutcome.Succeeded s -> s.images().stream();
                    case TaskOutcome.Reused r -> r.images().stream();
                    default -> Stream.<WrittenImage>empty();
                })
                .toList();
    }

    /** The images copied from an earlier run instead of being made (and paid for) again. */
    public List<WrittenImage> reusedImages() {
        return images().stream().filter(WrittenImage::reused).toList();
    }

    /**
     * The handle of every task the provider created, in task order, whatever became of it: what a later
     * {@link GenerationEngine#resume} needs to find the tasks again.
     */
    public List<TaskHandle> handles() {
        return outcomes.stream()
                .map(TaskOutcome::handle)
                .filter(Objects::nonNull)
                .toList();
    }

    /**
     * Every task id known, in task order: succeeded, failed, lost, cancelled and possibly-billed tasks alike (a submit
     * without a clear answer has one only when the provider named it).
     */
    public List<String> taskIds() {
        return outcomes.stream()
                .map(TaskOutcome::taskId)
                .filter(Objects::nonNull)
                .toList();
    }

    public boolean allSucceeded() {
        return !outcomes.isEmpty() && outcomes.stream().allMatch(TaskOutcome::succeeded);
    }

    public List<TaskOutcome> failures() {
        return outcomes.stream().filter(o -> !o.succeeded()).toList();
    }

    /** What the provider reported charging, summed; {@code null} when it reported nothing. */
    public Cost reportedCost() {
        return outcomes.stream()
                .filter(TaskOutcome.Succeeded.class::isInstance)
                .map(o -> ((TaskOutcome.Succeeded) o).cost())
                .filter(Objects::nonNull)
                .reduce(Cost::plus)
                .orElse(null);
    }
}
