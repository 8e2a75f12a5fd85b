package io.jenkins.plugins.fluxkontext.core.engine;

import static io.jenkins.plugins.fluxkontext.core.engine.Submission.ended;

import io.jenkins.plugins.fluxkontext.core.model.ImageRecipe;
import io.jenkins.plugins.fluxkontext.core.output.OutputWriter;
import io.jenkins.plugins.fluxkontext.core.provider.SubmitAccepted;
import io.jenkins.plugins.fluxkontext.core.provider.TaskSpec;
import io.jenkins.plugins.fluxkontext.core.task.Cost;
import io.jenkins.plugins.fluxkontext.core.task.TaskHandle;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;
import io.jenkins.plugins.fluxkontext.core.task.WrittenImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The first step of a resumed run, in place of the submit: each task is taken up from the handle saved before the
 * interruption, or ends at once, from the images already on disk or for want of a handle. Never submits.
 */
final class ResumedTasks {

    private final Map<Integer, TaskHandle> handles = new ConcurrentHashMap<>();
    private final Set<Integer> neverSent;
    private final OutputWriter writer;
    private final String provider;
    private final RunContext run;

    ResumedTasks(RunContext run, ResumePoint point, OutputWriter writer, String provider) {
        this.run = run;
        point.handles().forEach(h -> handles.put(h.index(), h));
        this.neverSent = point.neverSent();
        this.writer = writer;
        this.provider = provider;
    }

    /**
     * A task of the interrupted run that reused an earlier run's images instead of submitting: their copies are on
     * disk, each proven by its sidecar (marked reused, the same fingerprint, the same SHA-256). Nothing is asked of the
     * provider for it. Empty for any other task.
     */
    Optional<TaskOutcome> reusedOnDisk(TaskPlan.Task task) {
        TaskSpec spec = task.spec();
        if (handles.containsKey(spec.index())) {
            return Optional.empty();
        }
        List<String> fingerprints = new ArrayList<>();
        for (int i = 0; i < spec.imageCount(); i++) {
            ImageRecipe recipe = run.recipe(spec.firstImageIndex() + i);
            String fingerprint = recipe == null ? null : recipe.fingerprint();
            if (fingerprint == null) {
                return Optional.empty();
            }
            fingerprints.add(fingerprint);
        }
        return ImagesOnDisk.findReused(writer.directory(), fingerprints, spec.firstImageIndex())
                .map(images -> new TaskOutcome.Reused(
                        spec.index(), images, images.get(0).reusedFrom()));
    }

    /**
     * Instead of a submit, for a resumed job: the task's handle, or how the task ends without one. Never sends a
     * submit: a task without a handle may have been created before the interruption, and sending it now could bill
     * it twice. A task whose images are already on disk (proven by their sidecars) ends here, without any request.
     */
    Submission takeUp(TaskSpec spec, TaskState state) {
        TaskHandle handle = handles.get(spec.index());
        if (handle == null) {
            return ended(
                    neverSent.contains(spec.index())
                            ? new TaskOutcome.NotSubmitted(
                                    spec.index(),
                                    "no task was created for it before the"
                                            + " interruption, and resuming never submits; run the step again for its images")
                            : new TaskOutcome.SubmitAmbiguous(
                                    spec.index(),
                                    null,
                                    "no task id was recorded for it before the"
                                            + " interruption: it may never have been sent, or its submit was on its way"));
        }
        state.handle = handle;
        Optional<List<WrittenImage>> onDisk = ImagesOnDisk.find(
                writer.directory(), provider, handle.taskId(), spec.firstImageIndex(), spec.imageCount());
        if (onDisk.isPresent()) {
            state.endedAtProvider = true;
            List<WrittenImage> images = onDisk.get();
            Cost cost = images.stream()
                    .map(WrittenImage::cost)
                    .filter(Objects::nonNull)
                    .reduce(Cost::plus)
                    .orElse(null);
            return ended(new TaskOutcome.Succeeded(
                    spec.index(), handle, images, images.get(0).seed(), cost));
        }
        return new Submission.Created(new SubmitAccepted(handle, null));
    }
}
