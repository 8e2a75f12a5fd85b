package io.jenkins.plugins.fluxkontext.core.engine;

import io.jenkins.plugins.fluxkontext.core.model.ImageRecipe;
import io.jenkins.plugins.fluxkontext.core.output.OutputWriter;
import io.jenkins.plugins.fluxkontext.core.provider.TaskSpec;
import io.jenkins.plugins.fluxkontext.core.task.Billing;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One run of one job: its tasks in parallel (each on its own worker thread, through its {@link TaskLifecycle}), one
 * deadline, one set of in-flight calls to cancel on abort, and the result with its manifest at the end.
 */
final class JobRun {

    /** How long an abort waits for workers to notice their cancelled calls and clean up their temporary files. */
    private static final long ABORT_GRACE_SECONDS = 10;

    private final RunContext run;
    private final OutputWriter writer;
    private final TaskLifecycle lifecycle;
    private final Map<Integer, TaskState> states = new ConcurrentHashMap<>();
    private final Map<Integer, TaskOutcome> outcomes = new ConcurrentHashMap<>();

    /**
     * With {@code resume}, the run submits nothing: it takes the tasks of the handles up again (from disk when their
     * images are there, else by polling them), and its deadline counts from the resume point's start when it has one.
     */
    JobRun(
            GenerationEngine engine,
            GenerationJob job,
            ProgressListener listener,
            OutputWriter writer,
            List<ImageRecipe> recipes,
            ResumePoint resume) {
        this.run = RunContext.of(engine, job, listener, recipes, resume, writer);
        this.writer = writer;
        this.lifecycle = new TaskLifecycle(run, writer, resume);
    }

    GenerationResult run() throws InterruptedException {
        List<TaskPlan.Task> tasks = run.plan().tasks();
        List<TaskSpec> specs = run.plan().specs();
        AtomicInteger threadNumber = new AtomicInteger();
        ExecutorService workers = Executors.newFixedThreadPool(specs.size(), r -> {
            Thread t = new Thread(r, "flux-kontext-task-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> running = new ArrayList<>();
            for (TaskPlan.Task task : tasks) {
                states.put(task.index(), new TaskState());
                running.add(workers.submit(() -> runTask(task)));
            }
            for (Future<?> task : running) {
                task.get();
            }
        } catch (InterruptedException e) {
            run.calls().abort();
            workers.shutdownNow();
            awaitQuietly(workers);
            // Our own calls are cancelled and the workers stopped; now the provider is asked to stop what still runs.
            AbortedTasks.settle(run, specs, states, outcomes);
            throw new GenerationAbortedException(new GenerationResult(ordered(), null));
        } catch (ExecutionException e) {
            // runTask records every ending itself; reaching this is a bug in the engine.
            throw new IllegalStateException("a task worker failed", e.getCause());
        } finally {
            workers.shutdownNow();
        }
        List<TaskOutcome> all = ordered();
        Path manifest = null;
        List<String> warnings = new ArrayList<>();
        try {
            manifest = writer.writeManifest(all);
        } catch (IOException e) {
            warnings.add("The manifest could not be written: " + run.scrubber().failure(e));
        }
        warnings.addAll(0, writer.notes());
        return new GenerationResult(all, manifest, warnings, writer.simulated());
    }

    private static void awaitQuietly(ExecutorService workers) {
        try {
            workers.awaitTermination(ABORT_GRACE_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException again) {
            Thread.currentThread().interrupt();
        }
    }

    private List<TaskOutcome> ordered() {
        return outcomes.values().stream()
                .sorted(Comparator.comparingInt(TaskOutcome::index))
                .toList();
    }

    private void runTask(TaskPlan.Task task) {
        TaskSpec spec = task.spec();
        TaskState state = states.get(spec.index());
        TaskOutcome outcome;
        try {
            outcome = lifecycle.run(task, state);
        } catch (InterruptedException e) {
            return; // the thread that called run() settles it
        } catch (RuntimeException e) {
            String what = "internal error (" + run.scrubber().failure(e) + ")";
            outcome = state.handle == null
                    ? new TaskOutcome.NotSubmitted(spec.index(), what)
                    : new TaskOutcome.Failed(spec.index(), state.handle, "internal", what, Billing.MAYBE_BILLED);
        }
        // After an abort, an outcome made from a cancelled call would be a lie; run() settles the task instead.
        if (!run.calls().aborted() && outcomes.putIfAbsent(spec.index(), outcome) == null) {
            run.emit(new ProgressEvent.Finished(spec.index(), outcome));
        }
    }
}
