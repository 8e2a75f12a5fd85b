package io.jenkins.plugins.fluxkontext.cli;

import io.jenkins.plugins.fluxkontext.core.engine.GenerationAbortedException;
import io.jenkins.plugins.fluxkontext.core.engine.GenerationEngine;
import io.jenkins.plugins.fluxkontext.core.engine.GenerationJob;
import io.jenkins.plugins.fluxkontext.core.engine.GenerationResult;
import io.jenkins.plugins.fluxkontext.core.engine.ProgressListener;
import io.jenkins.plugins.fluxkontext.core.engine.TaskDurations;
import io.jenkins.plugins.fluxkontext.core.engine.TaskPlan;
import io.jenkins.plugins.fluxkontext.core.log.ProgressLog;
import io.jenkins.plugins.fluxkontext.core.reuse.ReuseFolder;
import io.jenkins.plugins.fluxkontext.core.task.Billing;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;
import io.jenkins.plugins.fluxkontext.core.task.WrittenImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Runs one job through the engine and tells the user about it: a bar on a terminal or plain lines, the closing
 * summary, and, when a charge may have happened, a line naming the task ids to check. An interrupted job (Ctrl-C,
 * SIGTERM) gets the same summary and lines before its {@link GenerationAbortedException} goes on.
 *
 * @param progress              where progress and the summary go (stdout, or stderr when stdout carries JSON)
 * @param terminal              draw a bar instead of plain lines
 * @param displayBase           file names are shown relative to this directory
 * @param timeout               the whole job's deadline
 * @param durations             the per-user cache folder where the provider's past task durations are kept, which
 *                              place the polls of a provider that reports no progress; {@code null}: not kept beyond
 *                              this run
 * @param imageHostsBehindProxy image hosts the user allows through a proxy although this machine cannot look them up
 */
record GenerationRun(
        PrintStream progress,
        boolean terminal,
        Path displayBase,
        Duration timeout,
        Path durations,
        List<String> imageHostsBehindProxy) {

    /**
     * A run that keeps no durations (the demo: the simulator's tasks tell nothing about a real provider) and allows no
     * unchecked image host.
     */
    GenerationRun(PrintStream progress, boolean terminal, Path displayBase, Duration timeout) {
        this(progress, terminal, displayBase, timeout, null, List.of());
    }

    /** What the run produced and the exit code it maps to. */
    record Finished(GenerationResult result, ExitCode exit) {}

    /** Runs {@code job}. */
    Finished execute(GenerationJob job) throws InterruptedException {
        return execute(job, null);
    }

    /**
     * Runs {@code job}; then keeps the images it made in {@code keepIn} for later runs, when given
     * ({@code --reuse-dir}).
     */
    Finished execute(GenerationJob job, ReuseFolder keepIn) throws InterruptedException {
        int tasks = TaskPlan.of(job.request(), job.endpoint().dialect()).size();
        ProgressLog log = new ProgressLog(progress::println, tasks, displayBase);
        ProgressBar bar = terminal ? new ProgressBar(progress, tasks, displayBase) : null;
        ProgressListener listener = bar != null ? bar : log;
        long start = System.nanoTime();
        GenerationResult result;
        try (GenerationEngine engine = GenerationEngine.builder()
                .totalTimeout(timeout)
                .taskDurations(TaskDurations.keptInOrMemory(durations))
                .imageHostsBehindProxy(imageHostsBehindProxy)
                .build()) {
            result = engine.run(job, listener);
        } catch (GenerationAbortedException e) {
            if (bar != null) {
                bar.finish();
            }
            report(log, e.result(), start, null);
            throw e;
        }
        if (bar != null) {
            bar.finish();
        }
        return new Finished(result, report(log, result, start, keepIn));
    }

    /**
     * The summary, the warnings, the images kept in {@code keepIn} (when given), and a line for each task that may
     * have been billed; returns the exit code.
     */
    private ExitCode report(ProgressLog log, GenerationResult result, long start, ReuseFolder keepIn) {
        log.summary(result, Duration.ofNanos(System.nanoTime() - start));
        for (String warning : result.warnings()) {
            progress.println(ProgressLog.PREFIX + "Warning: " + warning);
        }
        if (keepIn != null) {
            keep(result, keepIn);
        }
        ExitCode exit = ExitCode.of(result);
        for (TaskOutcome outcome : result.outcomes()) {
            if (ExitCode.of(outcome) == ExitCode.MAYBE_BILLED || outcome.billing() == Billing.MAYBE_BILLED) {
                progress.println(ProgressLog.PREFIX + "A charge may have happened for task " + outcome.index()
                        + (outcome.taskId() == null
                                ? " (the provider gave no task id)"
                                : " (task id " + outcome.taskId() + ")")
                        + ": check the provider's dashboard before running it again.");
            }
        }
        return exit;
    }

    private void keep(GenerationResult result, ReuseFolder folder) {
        int kept = 0;
        for (WrittenImage image : result.images()) {
            try {
                if (folder.keep(image, shown(image.file()), result.simulated())) {
                    kept++;
                }
            } catch (IOException e) {
                progress.println(ProgressLog.PREFIX + "Warning: " + shown(image.file()) + " could not be kept in "
                        + shown(folder.directory()) + " (" + e.getMessage() + ")");
            }
        }
        if (kept > 0) {
            progress.println(ProgressLog.PREFIX + "Kept " + kept + (kept == 1 ? " image" : " images") + " in "
                    + shown(folder.directory()) + " for later runs");
        }
    }

    private String shown(Path file) {
        return file.startsWith(displayBase)
                ? displayBase.relativize(file).toString().replace('\\', '/')
                : file.toString();
    }
}
