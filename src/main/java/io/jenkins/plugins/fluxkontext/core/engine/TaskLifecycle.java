package io.jenkins.plugins.fluxkontext.core.engine;

import io.jenkins.plugins.fluxkontext.core.engine.InFlightCalls.DeadlinePassed;
import io.jenkins.plugins.fluxkontext.core.engine.RetriedReads.ReadsExhausted;
import io.jenkins.plugins.fluxkontext.core.model.Redaction;
import io.jenkins.plugins.fluxkontext.core.output.OutputWriter;
import io.jenkins.plugins.fluxkontext.core.provider.PollOutcome;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderEndpoint;
import io.jenkins.plugins.fluxkontext.core.provider.SubmitAccepted;
import io.jenkins.plugins.fluxkontext.core.provider.TaskSpec;
import io.jenkins.plugins.fluxkontext.core.task.Billing;
import io.jenkins.plugins.fluxkontext.core.task.TaskHandle;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;
import io.jenkins.plugins.fluxkontext.core.throttle.SlotLease;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;

/**
 * One task from start to end, on its worker thread: take its images from an earlier run when they are there (then
 * nothing else happens), wait for a slot, submit (or, on resume, take up the saved handle), poll to the end, give the
 * slot back, then land the images. Each step is its own class; this one orders them and turns the provider's last
 * word into the task's outcome.
 */
final class TaskLifecycle {

    private final RunContext run;
    /** The run's own slots: at most {@code maxConcurrentTasks} of its tasks submitted and unfinished at once. */
    private final Semaphore slots;

    private final EarlierImages earlier;
    private final PaidSubmit submit;
    /** {@code null} for a fresh run, which submits. */
    private final ResumedTasks resumed;

    private final StatusPolling polling;
    private final ImageDownloads downloads;

    /** With {@code resume}, the tasks are taken up from its handles and nothing is submitted. */
    TaskLifecycle(RunContext run, OutputWriter writer, ResumePoint resume) {
        RetriedReads reads = new RetriedReads(run);
        this.run = run;
        this.slots = new Semaphore(run.engine().maxConcurrentTasks(), true);
        this.earlier = new EarlierImages(run, writer);
        this.submit = new PaidSubmit(run);
        this.resumed = resume == null
                ? null
                : new ResumedTasks(run, resume, writer, run.dialect().id());
        this.polling = new StatusPolling(run, reads);
        this.downloads = new ImageDownloads(run, reads, polling, writer);
    }

    /** Runs the task to its outcome; {@code state} keeps what an abort needs to know meanwhile. */
    TaskOutcome run(TaskPlan.Task task, TaskState state) throws InterruptedException {
        TaskSpec spec = task.spec();
        Deadline deadline = run.deadline();
        // Before any slot: a task whose images an earlier run made sends nothing at all.
        Optional<TaskOutcome> reused = resumed == null ? earlier.take(task) : resumed.reusedOnDisk(task);
        if (reused.isPresent()) {
            return reused.get();
        }
        // A resumed task is already at the provider: it takes no slot, since no submit waits for one.
        if (resumed == null && !slots.tryAcquire()) {
            int limit = run.engine().maxConcurrentTasks();
            run.emit(new ProgressEvent.WaitingForSlot(spec.index(), limit - slots.availablePermits(), limit));
            if (!slots.tryAcquire(Math.max(1, deadline.remaining().toMillis()), TimeUnit.MILLISECONDS)) {
                return new TaskOutcome.NotSubmitted(
                        spec.index(),
                        "the " + deadline.total().toSeconds() + " s deadline passed while it waited for one of " + limit
                                + " slots");
            }
        }
        boolean holdingSlot = resumed == null;
        SlotLease shared = SlotLease.NONE;
        try {
            if (holdingSlot) {
                // The account's slot, shared with other runs (builds): after the run's own, given back with it.
                shared = run.engine()
                        .taskSlots()
                        .acquire(wait ->
                                run.emit(new ProgressEvent.WaitingForSlot(spec.index(), wait.inUse(), wait.limit())));
                if (deadline.passed()) {
                    return new TaskOutcome.NotSubmitted(
                            spec.index(),
                            "the " + deadline.total().toSeconds()
                                    + " s deadline passed while it waited for a slot shared with other builds");
                }
            }
            SubmitAccepted accepted;
            switch (resumed != null ? resumed.takeUp(spec, state) : submit.send(task, state)) {
                case Submission.Ended ended -> {
                    return ended.outcome();
                }
                case Submission.Created created -> accepted = created.accepted();
            }
            TaskHandle handle = accepted.handle();
            state.handle = handle;
            if (resumed == null) {
                // Guaranteed to return before this task's first status request: a caller saves the handle here.
                run.emit(new ProgressEvent.Submitted(spec.index(), handle));
            }

            String untrusted = untrustedUrl(handle);
            if (untrusted != null) {
                return new TaskOutcome.Failed(
                        spec.index(),
                        handle,
                        "untrusted polling URL",
                        "the provider asked to be polled at "
                                + run.scrubber().text(Redaction.withoutQuery(untrusted))
                                + ", outside "
                                + Redaction.withoutQuery(run.endpoint().baseUrl())
                                + " and its domain, so the API key was not sent there. Check the base URL.",
                        Billing.MAYBE_BILLED);
            }

            PollOutcome end;
            try {
                if (accepted.settled() != null) {
                    // The provider held the submit's answer until the end (Replicate's Prefer: wait): it ended now.
                    end = accepted.settled();
                    if (end instanceof PollOutcome.Ready) {
                        run.recordDuration(Duration.between(
                                handle.submittedAt(), run.engine().clock().instant()));
                    }
                } else {
                    end = polling.pollToEnd(spec, handle);
                }
            } catch (DeadlinePassed e) {
                return new TaskOutcome.TimedOut(spec.index(), handle, deadline.total());
            } catch (ReadsExhausted e) {
                return new TaskOutcome.Failed(
                        spec.index(),
                        handle,
                        "status unavailable",
                        "the task's status could not be read in " + e.attempts + " answers (last: " + e.lastFailure
                                + "); it may still finish and be billed",
                        Billing.MAYBE_BILLED);
            }
            state.endedAtProvider = true;
            // The provider counts only running tasks against its limit: free the slot before downloading.
            if (holdingSlot) {
                slots.release();
                shared.close();
                holdingSlot = false;
            }
            if (end instanceof PollOutcome.Ready ready) {
                return downloads.download(
                        spec, accepted, ready, run.engine().clock().instant());
            }
            return ended(spec.index(), handle, end);
        } finally {
            if (holdingSlot) {
                slots.release();
            }
            shared.close();
        }
    }

    /** The outcome of a task that ended at the provider without images to fetch. */
    private TaskOutcome ended(int index, TaskHandle handle, PollOutcome end) {
        Scrubber scrubber = run.scrubber();
        return switch (end) {
            case PollOutcome.Failed failed ->
                new TaskOutcome.Failed(
                        index, handle, scrubber.text(failed.code()), scrubber.text(failed.reason()), failed.billing());
            case PollOutcome.Moderated moderated ->
                new TaskOutcome.Moderated(
                        index,
                        handle,
                        moderated.side(),
                        moderated.reasons().stream().map(scrubber::text).toList(),
                        moderated.billing());
            case PollOutcome.NotFound notFound -> notFound(index, handle, notFound);
            case PollOutcome.Cancelled cancelled -> new TaskOutcome.Cancelled(index, handle, true, cancelled.billing());
            case PollOutcome.Ready ready -> throw new IllegalStateException("images not fetched");
            case PollOutcome.Running running -> throw new IllegalStateException("still running");
            case PollOutcome.ResultAvailable available -> throw new IllegalStateException("result not fetched");
        };
    }

    /**
     * The first URL of {@code handle} the key would be sent to (status, result document, cancel) that is outside the
     * base URL's trust ({@link ProviderEndpoint#mayReceiveKey}), or {@code null} when all are trusted.
     */
    private String untrustedUrl(TaskHandle handle) {
        for (String url : new String[] {handle.pollingUrl(), handle.resultUrl(), handle.cancelUrl()}) {
            HttpUrl parsed = url == null ? null : HttpUrl.parse(url);
            // A URL that holds the key itself would put it in request lines and server logs.
            boolean holdsKey = url != null && !url.equals(run.key().scrub(url));
            if (url != null && (parsed == null || holdsKey || !run.endpoint().mayReceiveKey(parsed))) {
                return url;
            }
        }
        return null;
    }

    /**
     * The provider does not know the task. In a fresh run we cannot tell whether it ever ran; in a resumed one it was
     * accepted before the interruption, so it ran, was billed, and its result expired while nobody fetched it.
     */
    private TaskOutcome notFound(int index, TaskHandle handle, PollOutcome.NotFound notFound) {
        Scrubber scrubber = run.scrubber();
        if (resumed == null) {
            return new TaskOutcome.NotFound(index, handle, scrubber.text(notFound.detail()));
        }
        String detail = notFound.detail() != null ? notFound.detail() : "the provider answered " + notFound.status();
        return new TaskOutcome.NotFound(index, handle, scrubber.text(detail), Billing.BILLED);
    }
}
