package io.jenkins.plugins.fluxkontext.agent;

import io.jenkins.plugins.fluxkontext.core.budget.CostEstimate;
import io.jenkins.plugins.fluxkontext.core.engine.GenerationResult;
import io.jenkins.plugins.fluxkontext.core.task.TaskHandle;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;
import io.jenkins.plugins.fluxkontext.core.task.WrittenImage;
import java.io.Serializable;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the agent sends back to the controller after a run: every image (paths relative to the workspace) and every
 * task's ending, in plain values only. The core result holds {@link Path}s and sealed records that remoting must not
 * carry (JEP-200 admits plugin classes and a list of JDK types), so it is copied into this on the agent.
 *
 * @param provider dialect id, e.g. {@code bfl}
 * @param model    model id, e.g. {@code flux-kontext-max}
 * @param images   every image written, in image order
 * @param tasks    one per task, in task order; keeps the provider's handles so that a later resume can use them
 * @param manifest the manifest's workspace-relative path, or {@code null}
 * @param charge   what the request cost by the price table and the provider's reports, or {@code null} when not
 *                 priced (see {@link #withCharge})
 */
public record GenerationReport(
        String provider,
        String model,
        ArrayList<ImageRecord> images,
        ArrayList<TaskRecord> tasks,
        String manifest,
        ChargeRecord charge)
        implements Serializable {

    /**
     * What a finished request cost, priced on the agent where the core result is ({@code CostEstimate.charge}).
     *
     * @param usd           the known part, as a decimal string
     * @param display       e.g. {@code $0.16 (reported by the provider)}
     * @param unpricedTasks billed tasks whose price is unknown
     */
    public record ChargeRecord(String usd, String display, int unpricedTasks) implements Serializable {

        public BigDecimal amount() {
            return new BigDecimal(usd);
        }
    }

    /**
     * One image on the agent's disk.
     *
     * @param path        workspace-relative, {@code /}-separated
     * @param sidecar     its provenance JSON, workspace-relative, or {@code null}
     * @param taskId      the provider task that made it (for a reused image, the earlier build's task), or {@code null}
     * @param format      {@code png}, {@code jpeg} or {@code webp}, from the file's bytes
     * @param costUsd     what the provider reported charging, as a decimal string, or {@code null}
     * @param task        which task of the request it belongs to, from 1
     * @param aspectRatio its format, {@code W:H}, or {@code null} when the provider chose
     * @param fingerprint what later builds find it by; {@code null} when it cannot be made again
     * @param reusedFrom  where it was copied from (e.g. {@code build #4}), or {@code null} when made now
     */
    public record ImageRecord(
            String path,
            String sidecar,
            String taskId,
            Long seed,
            int width,
            int height,
            long bytes,
            String sha256,
            String format,
            String costUsd,
            int task,
            String aspectRatio,
            String fingerprint,
            String reusedFrom)
            implements Serializable {

        public boolean reused() {
            return reusedFrom != null;
        }
    }

    /** How one task ended. */
    public enum TaskState {
        SUCCEEDED,
        /** Its images were copied from an earlier build instead of being made; nothing was sent or billed. */
        REUSED,
        FAILED,
        MODERATED,
        NOT_FOUND,
        DOWNLOAD_FAILED,
        TIMED_OUT,
        CANCELLED,
        SUBMIT_AMBIGUOUS,
        REJECTED,
        NOT_SUBMITTED,
        /** Submitted, and the step ended without word of it (aborted without a report, the agent did not come back). */
        ABANDONED;

        /** {@code timed out}, {@code unclear if submitted} ...: how the build page and the return value say it. */
        public String display() {
            return switch (this) {
                case SUCCEEDED -> "succeeded";
                case REUSED -> "reused";
                case MODERATED -> "moderated";
                case FAILED -> "failed";
                case NOT_FOUND -> "not found";
                case DOWNLOAD_FAILED -> "download failed";
                case TIMED_OUT -> "timed out";
                case CANCELLED -> "cancelled";
                case SUBMIT_AMBIGUOUS -> "unclear if submitted";
                case REJECTED -> "rejected";
                case NOT_SUBMITTED -> "not submitted";
                case ABANDONED -> "abandoned";
            };
        }

        /** Whether the task's images are on disk: made now, or reused. */
        public boolean succeeded() {
            return this == SUCCEEDED || this == REUSED;
        }
    }

    /**
     * One task's ending.
     *
     * @param taskId     the provider's id, or {@code null} when none was given
     * @param message    the engine's sentence for the build log; never holds the key or a signed URL's query
     * @param billing    {@code NOT_BILLED}, {@code BILLED} or {@code MAYBE_BILLED}
     * @param pollingUrl where the task is polled; no secret; for resuming after a restart
     */
    public record TaskRecord(
            int index, String taskId, TaskState state, String message, String billing, String pollingUrl)
            implements Serializable {}

    /** Copies {@code result} into plain values; {@code workspace} is the root the paths are made relative to. */
    public static GenerationReport of(GenerationResult result, Path workspace, String provider, String model) {
        ArrayList<ImageRecord> images = new ArrayList<>();
        for (TaskOutcome outcome : result.outcomes()) {
            List<WrittenImage> written =
                    switch (outcome) {
                        case TaskOutcome.Succeeded s -> s.images();
                        case TaskOutcome.Reused r -> r.images();
                        default -> List.of();
                    };
            for (WrittenImage image : written) {
                images.add(new ImageRecord(
                        relative(workspace, image.file()),
                        relative(workspace, image.sidecar()),
                        image.taskId(),
                        image.seed(),
                        image.width(),
                        image.height(),
                        image.bytes(),
                        image.sha256(),
                        image.type().name().toLowerCase(Locale.ROOT),
                        image.cost() == null ? null : image.cost().usd().toPlainString(),
                        outcome.index(),
                        image.aspectRatio(),
                        image.fingerprint(),
                        image.reusedFrom()));
            }
        }
        ArrayList<TaskRecord> tasks = new ArrayList<>();
        for (TaskOutcome outcome : result.outcomes()) {
            tasks.add(new TaskRecord(
                    outcome.index(),
                    outcome.taskId(),
                    stateOf(outcome),
                    outcome.message(),
                    outcome.billing().name(),
                    pollingUrl(outcome)));
        }
        return new GenerationReport(provider, model, images, tasks, relative(workspace, result.manifest()), null);
    }

    /**
     * A report for a step that ended without word from its agent: every saved task {@link TaskState#ABANDONED} (it
     * may still run and be billed), every other task of the request {@link TaskState#SUBMIT_AMBIGUOUS} (its submit
     * may have been on its way). No images.
     *
     * @param taskCount how many tasks the request has
     * @param why       what ended the step, for the messages
     */
    public static GenerationReport abandoned(
            String provider, String model, int taskCount, List<SavedTask> saved, String why) {
        ArrayList<TaskRecord> tasks = new ArrayList<>();
        for (int index = 1; index <= taskCount; index++) {
            int i = index;
            SavedTask task =
                    saved.stream().filter(t -> t.index() == i).findFirst().orElse(null);
            if (task != null) {
                tasks.add(new TaskRecord(
                        i,
                        task.taskId(),
                        TaskState.ABANDONED,
                        "Task " + task.taskId()
                                + " was submitted to " + provider + ", but the step ended before the task did (" + why
                                + "); it may still run and be billed, and its images are not saved.",
                        "MAYBE_BILLED",
                        task.pollingUrl()));
            } else {
                tasks.add(new TaskRecord(
                        i,
                        null,
                        TaskState.SUBMIT_AMBIGUOUS,
                        "Task " + i + ": no task id was saved;"
                                + " its submit may have been on its way when the step ended (" + why
                                + "), so it may have"
                                + " been created and billed.",
                        "MAYBE_BILLED",
                        null));
            }
        }
        return new GenerationReport(provider, model, new ArrayList<>(), tasks, null, null);
    }

    /** Every task id known, in task order, lost tasks included. */
    public List<String> taskIds() {
        return tasks.stream()
                .map(TaskRecord::taskId)
                .filter(java.util.Objects::nonNull)
                .toList();
    }

    /** This report with what the request cost. */
    public GenerationReport withCharge(CostEstimate.Charge charged) {
        return new GenerationReport(
                provider,
                model,
                images,
                tasks,
                manifest,
                new ChargeRecord(charged.cost().usd().toPlainString(), charged.display(), charged.unpricedTasks()));
    }

    /** The tasks that did not succeed. */
    public List<TaskRecord> failures() {
        return tasks.stream().filter(t -> !t.state().succeeded()).toList();
    }

    /** Archive path to workspace path for every file written: images, sidecars, the manifest. */
    public Map<String, String> artifacts() {
        Map<String, String> files = new LinkedHashMap<>();
        for (ImageRecord image : images) {
            files.put(image.path(), image.path());
            if (image.sidecar() != null) {
                files.put(image.sidecar(), image.sidecar());
            }
        }
        if (manifest != null) {
            files.put(manifest, manifest);
        }
        return files;
    }

    /**
     * The step's return value: one map per image with {@code path}, {@code taskId}, {@code seed}, {@code width},
     * {@code height}, {@code sha256}, {@code format}, {@code aspectRatio}, {@code reused} (and, when true,
     * {@code reusedFrom}), {@code provider}, {@code model} and, when the provider reported it, {@code cost} (US
     * dollars); then one map per task that wrote no image (moderated, failed, expired, cancelled, unclear), with
     * {@code path} {@code null}, its {@code taskId} (when it has one), {@code status}, {@code billing},
     * {@code message}, {@code provider} and {@code model}, so that every task id is in the value. Plain JDK types, so
     * Pipeline scripts can read and keep them.
     */
    public List<Map<String, Object>> toStepResult() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ImageRecord image : images) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", image.path());
            m.put("taskId", image.taskId());
            m.put("seed", image.seed());
            m.put("width", image.width());
            m.put("height", image.height());
            m.put("sha256", image.sha256());
            m.put("format", image.format());
            m.put("aspectRatio", image.aspectRatio());
            m.put("reused", image.reused());
            if (image.reused()) {
                m.put("reusedFrom", image.reusedFrom());
            }
            m.put("provider", provider);
            m.put("model", model);
            if (image.costUsd() != null) {
                m.put("cost", new BigDecimal(image.costUsd()));
            }
            out.add(m);
        }
        for (TaskRecord task : tasks) {
            boolean wroteImages = images.stream().anyMatch(i -> i.task() == task.index());
            if (task.state().succeeded() && wroteImages) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", null);
            m.put("taskId", task.taskId());
            m.put("status", task.state().display());
            m.put("billing", task.billing());
            m.put("message", task.message());
            m.put("provider", provider);
            m.put("model", model);
            out.add(m);
        }
        return out;
    }

    private static TaskState stateOf(TaskOutcome outcome) {
        return switch (outcome) {
            case TaskOutcome.Succeeded s -> TaskState.SUCCEEDED;
            case TaskOutcome.Reused r -> TaskState.REUSED;
            case TaskOutcome.Failed f -> TaskState.FAILED;
            case TaskOutcome.Moderated m -> TaskState.MODERATED;
            case TaskOutcome.NotFound n -> TaskState.NOT_FOUND;
            case TaskOutcome.DownloadFailed d -> TaskState.DOWNLOAD_FAILED;
            case TaskOutcome.TimedOut t -> TaskState.TIMED_OUT;
            case TaskOutcome.Cancelled c -> TaskState.CANCELLED;
            case TaskOutcome.SubmitAmbiguous a -> TaskState.SUBMIT_AMBIGUOUS;
            case TaskOutcome.Rejected r -> TaskState.REJECTED;
            case TaskOutcome.NotSubmitted n -> TaskState.NOT_SUBMITTED;
        };
    }

    private static String pollingUrl(TaskOutcome outcome) {
        TaskHandle handle =
                switch (outcome) {
                    case TaskOutcome.Succeeded s -> s.handle();
                    case TaskOutcome.Failed f -> f.handle();
                    case TaskOutcome.Moderated m -> m.handle();
                    case TaskOutcome.NotFound n -> n.handle();
                    case TaskOutcome.DownloadFailed d -> d.handle();
                    case TaskOutcome.TimedOut t -> t.handle();
                    case TaskOutcome.Cancelled c -> c.handle();
                    default -> null;
                };
        return handle == null ? null : handle.pollingUrl();
    }

    private static String relative(Path workspace, Path file) {
        if (file == null) {
            return null;
        }
        Path shown = file.startsWith(workspace) ? workspace.relativize(file) : file;
        return shown.toString().replace('\\', '/');
    }
}
