package io.jenkins.plugins.fluxkontext.core.engine;

import io.jenkins.plugins.fluxkontext.core.model.ImageRecipe;
import io.jenkins.plugins.fluxkontext.core.output.ImageProvenance;
import io.jenkins.plugins.fluxkontext.core.output.OutputWriter;
import io.jenkins.plugins.fluxkontext.core.provider.TaskSpec;
import io.jenkins.plugins.fluxkontext.core.reuse.EarlierImage;
import io.jenkins.plugins.fluxkontext.core.reuse.ReuseSource;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;
import io.jenkins.plugins.fluxkontext.core.task.WrittenImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The first step of a fresh task: when an earlier run made every image of the task (the same fingerprints) and the
 * job's {@link ReuseSource} offers them, copies of them take the images' places, each checked against the SHA-256
 * recorded when it was made, and the task ends {@link TaskOutcome.Reused} without sending anything. All or nothing:
 * a task whose images are not all there, or not all intact, is submitted as usual, and says why in the run's notes.
 */
final class EarlierImages {

    private final RunContext run;
    private final OutputWriter writer;

    EarlierImages(RunContext run, OutputWriter writer) {
        this.run = run;
        this.writer = writer;
    }

    /** The task's outcome when its images could be reused; empty when it must be submitted. */
    Optional<TaskOutcome> take(TaskPlan.Task task) {
        if (run.reuse() == ReuseSource.NONE) {
            return Optional.empty();
        }
        TaskSpec spec = task.spec();
        List<EarlierImage> found = new ArrayList<>();
        List<ImageRecipe> recipes = new ArrayList<>();
        for (int i = 0; i < spec.imageCount(); i++) {
            ImageRecipe recipe = run.recipe(spec.firstImageIndex() + i);
            String fingerprint = recipe == null ? null : recipe.fingerprint();
            if (fingerprint == null) {
                return Optional.empty();
            }
            Optional<EarlierImage> earlier;
            try {
                earlier = run.reuse().find(fingerprint);
            } catch (IOException | RuntimeException e) {
                writer.note("Earlier images could not be looked up for task " + spec.index() + " ("
                        + run.scrubber().failure(e) + "); it is made");
                return Optional.empty();
            }
            if (earlier.isEmpty()) {
                return Optional.empty();
            }
            found.add(earlier.get());
            recipes.add(recipe);
        }
        if (found.stream().anyMatch(EarlierImage::simulated)) {
            // A placeholder the simulator drew stays marked as one in its copies (and this run's manifest).
            writer.markSimulated();
        }
        List<WrittenImage> copies = new ArrayList<>();
        for (int i = 0; i < found.size(); i++) {
            EarlierImage earlier = found.get(i);
            ImageProvenance provenance = new ImageProvenance(
                    spec.firstImageIndex() + i,
                    run.dialect().id(),
                    earlier.taskId(),
                    spec.seed(),
                    null,
                    null,
                    null,
                    earlier.from(),
                    recipes.get(i),
                    earlier.from());
            try {
                copies.add(writer.adopt(provenance, earlier.file(), earlier.sha256()));
            } catch (IOException | RuntimeException e) {
                writer.note("The image from " + earlier.from() + " for task " + spec.index() + " was not reused ("
                        + run.scrubber().failure(e) + "); it is made again");
                discard(copies);
                return Optional.empty();
            }
        }
        copies.forEach(copy -> run.emit(new ProgressEvent.Reused(spec.index(), copy)));
        return Optional.of(
                new TaskOutcome.Reused(spec.index(), copies, found.get(0).from()));
    }

    /** Takes back the copies of a task that is submitted after all, so its new images get their names. */
    private void discard(List<WrittenImage> copies) {
        for (WrittenImage copy : copies) {
            try {
                writer.discard(copy);
            } catch (IOException e) {
                writer.note("A reused copy could not be removed again: " + copy.file() + " (" + e.getMessage() + ")");
            }
        }
    }
}
