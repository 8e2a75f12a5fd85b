package io.jenkins.plugins.fluxkontext.core.log;

import io.jenkins.plugins.fluxkontext.core.engine.GenerationResult;
import io.jenkins.plugins.fluxkontext.core.engine.ProgressEvent;
import io.jenkins.plugins.fluxkontext.core.engine.ProgressListener;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;
import io.jenkins.plugins.fluxkontext.core.task.WrittenImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Turns engine events into short log lines, one per change a reader cares about: a task submitted, its status
 * changing, a quarter of progress, a retry, a wait for a slot, a file written, the end. Used by the Jenkins steps
 * (the build log) and the command line (plain output).
 */
public final class ProgressLog implements ProgressListener {

    public static final String PREFIX = "[FLUX.1 Kontext] ";

    private final Consumer<String> sink;
    private final int taskCount;
    private final Path displayBase;
    private final Map<Integer, Integer> lastQuarter = new HashMap<>();

    /**
     * @param sink        receives whole lines without a line break
     * @param taskCount   how many tasks the request has, to print {@code 2/4}
     * @param displayBase file paths are shown relative to this (the workspace); {@code null} shows them as they are
     */
    public ProgressLog(Consumer<String> sink, int taskCount, Path displayBase) {
        this.sink = sink;
        this.taskCount = taskCount;
        this.displayBase = displayBase;
    }

    @Override
    public synchronized void on(ProgressEvent event) {
        String line =
                switch (event) {
                    case ProgressEvent.Submitted e ->
                        task(e.index()) + " submitted to " + e.handle().provider() + ", task id "
                                + e.handle().taskId();
                    case ProgressEvent.StatusChanged e -> task(e.index()) + " is " + e.status();
                    case ProgressEvent.Progress e -> progress(e);
                    case ProgressEvent.Retrying e ->
                        task(e.index()) + ": " + e.what() + " failed (" + e.reason() + "); " + retryingAfter(e.after());
                    case ProgressEvent.WaitingForSlot e ->
                        task(e.index()) + " waiting for a free slot: " + e.inUse() + " of " + e.limit() + " in use";
                    case ProgressEvent.Downloaded e -> task(e.index()) + " wrote " + describe(e.image());
                    case ProgressEvent.Reused e ->
                        task(e.index()) + " reused " + describe(e.image()) + " from "
                                + e.image().reusedFrom() + "; nothing sent, nothing billed";
                    // The outcome's message names the task itself ("Task 7f3a… failed: …").
                    case ProgressEvent.Finished e ->
                        e.outcome().succeeded() ? null : e.outcome().message();
                };
        if (line != null) {
            sink.accept(PREFIX + line);
        }
    }

    /** Lines that close the step: what was written, what failed, what it cost. */
    public void summary(GenerationResult result, Duration elapsed) {
        List<WrittenImage> images = result.images();
        List<TaskOutcome> failures = result.failures();
        StringBuilder line = new StringBuilder();
        line.append(images.size())
                .append(images.size() == 1 ? " image" : " images")
                .append(" written");
        int reused = result.reusedImages().size();
        if (reused > 0) {
            line.append(" (").append(reused).append(" reused from earlier runs, not billed)");
        }
        if (!failures.isEmpty()) {
            line.append("; ")
                    .append(failures.size())
                    .append(" of ")
                    .append(result.outcomes().size())
                    .append(result.outcomes().size() == 1 ? " task" : " tasks")
                    .append(" did not succeed");
        }
        line.append(" in ").append(seconds(elapsed));
        if (result.simulated()) {
            line.append("; simulated, nothing was billed");
            if (result.reportedCost() != null) {
                line.append(" (a real provider would have charged ")
                        .append(result.reportedCost().display())
                        .append(')');
            }
        } else if (result.reportedCost() != null) {
            line.append("; cost reported by the provider ")
                    .append(result.reportedCost().display());
        }
        sink.accept(PREFIX + line);
        for (TaskOutcome failure : failures) {
            sink.accept(PREFIX + "  " + failure.message() + billingNote(failure));
        }
        if (result.manifest() != null) {
            sink.accept(PREFIX + "Manifest: " + display(result.manifest()));
        }
    }

    private String progress(ProgressEvent.Progress e) {
        int quarter = Math.max(0, Math.min(100, e.percent())) / 25;
        Integer last = lastQuarter.put(e.index(), quarter);
        if (quarter == 0 || (last != null && last >= quarter)) {
            if (last != null && last > quarter) {
                lastQuarter.put(e.index(), last);
            }
            return null;
        }
        return task(e.index()) + " at " + (quarter * 25) + "%";
    }

    private static String billingNote(TaskOutcome outcome) {
        return switch (outcome.billing()) {
            case NOT_BILLED -> " [not billed]";
            case BILLED -> " [billed]";
            case MAYBE_BILLED -> " [may have been billed]";
        };
    }

    private String task(int index) {
        return taskCount <= 1 ? "Task" : "Task " + index + "/" + taskCount;
    }

    private String describe(WrittenImage image) {
        return display(image.file()) + " (" + image.width() + "x" + image.height() + ", " + size(image.bytes())
                + (image.seed() == null ? "" : ", seed " + image.seed()) + ")";
    }

    private String display(Path file) {
        if (displayBase != null && file.startsWith(displayBase)) {
            return displayBase.relativize(file).toString().replace('\\', '/');
        }
        return file.toString();
    }

    private static String size(long bytes) {
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.0f KB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
    }

    /** A wait under a second in milliseconds: "retrying in 0.0 s" would read as no wait at all. */
    private static String retryingAfter(Duration wait) {
        if (wait.isZero() || wait.isNegative()) {
            return "retrying at once";
        }
        if (wait.compareTo(Duration.ofSeconds(1)) < 0) {
            return "retrying in " + Math.max(1, wait.toMillis()) + " ms";
        }
        return "retrying in " + seconds(wait);
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }
}
