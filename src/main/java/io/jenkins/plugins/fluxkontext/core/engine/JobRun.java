package io.jenkins.plugins.fluxkontext.core.engine;

import io.jenkins.plugins.fluxkontext.core.engine.InFlightCalls.DeadlinePassed;
import io.jenkins.plugins.fluxkontext.core.engine.InFlightCalls.Flight;
import io.jenkins.plugins.fluxkontext.core.engine.InFlightCalls.TransportFailure;
import io.jenkins.plugins.fluxkontext.core.engine.TaskOutcome.RejectionKind;
import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
import io.jenkins.plugins.fluxkontext.core.model.Redaction;
import io.jenkins.plugins.fluxkontext.core.output.ImageProvenance;
import io.jenkins.plugins.fluxkontext.core.output.ImageRejectedException;
import io.jenkins.plugins.fluxkontext.core.output.OutputWriter;
import io.jenkins.plugins.fluxkontext.core.output.WrittenImage;
import io.jenkins.plugins.fluxkontext.core.provider.ApiKey;
import io.jenkins.plugins.fluxkontext.core.provider.MalformedReplyException;
import io.jenkins.plugins.fluxkontext.core.provider.PollOutcome;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderDialect;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderEndpoint;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderReply;
import io.jenkins.plugins.fluxkontext.core.provider.SubmitAccepted;
import io.jenkins.plugins.fluxkontext.core.provider.SubmitRefusal;
import io.jenkins.plugins.fluxkontext.core.provider.TaskSpec;
import io.jenkins.plugins.fluxkontext.core.throttle.SlotLease;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * One run of one job: its tasks in parallel (each on its own worker thread, at most {@code maxConcurrentTasks}
 * submitted and unfinished at once), one deadline, one set of in-flight calls to cancel on abort.
 */
final class JobRun {

    /** Status and submit answers are small JSON; anything larger is not what the contract promises. */
    private static final int MAX_REPLY_BYTES = 1024 * 1024;
    /** Enough for a CDN's hop or two; more is a loop or a detour. */
    private static final int MAX_IMAGE_REDIRECTS = 5;
    /** How long an abort waits for workers to notice their cancelled calls and clean up their temporary files. */
    private static final long ABORT_GRACE_SECONDS = 10;

    private final GenerationEngine engine;
    private final GenerationRequest request;
    private final ProviderEndpoint endpoint;
    private final ProviderDialect dialect;
    private final ApiKey key;
    private final ProgressListener listener;
    private final OutputWriter writer;
    private final Scrubber scrubber;
    private final Deadline deadline;
    private final Semaphore slots;
    private final ImageHosts imageHosts;
    /** The engine's download client with {@link #imageHosts} as its name lookup (shares its connections). */
    private final OkHttpClient downloads;

    private final InFlightCalls calls = new InFlightCalls();
    private final Map<Integer, TaskState> states = new ConcurrentHashMap<>();
    private final Map<Integer, TaskOutcome> outcomes = new ConcurrentHashMap<>();
    /** For a resumed job, the handles by task index; {@code null} for a fresh run, which submits. */
    private final Map<Integer, TaskHandle> resumed;

    private final Set<Integer> neverSent;

    JobRun(GenerationEngine engine, GenerationJob job, ProgressListener listener, OutputWriter writer) {
        this(engine, job, listener, writer, null);
    }

    /**
     * With {@code resume}, the run submits nothing: it takes the tasks of the handles up again (from disk when their
     * images are there, else by polling them), and its deadline counts from the resume point's start when it has one.
     */
    JobRun(
            GenerationEngine engine,
            GenerationJob job,
            ProgressListener listener,
            OutputWriter writer,
            ResumePoint resume) {
        this.resumed = resume == null ? null : new ConcurrentHashMap<>();
        this.neverSent = resume == null ? Set.of() : resume.neverSent();
        if (resume != null) {
            resume.handles().forEach(h -> resumed.put(h.index(), h));
        }
        this.engine = engine;
        this.request = job.request();
        this.endpoint = job.endpoint();
        this.dialect = endpoint.dialect();
        this.key = job.apiKey();
        this.listener = listener == null ? ProgressListener.NONE : listener;
        this.writer = writer;
        this.scrubber = new Scrubber(key);
        this.deadline = resume != null && resume.startedAt() != null
                ? new Deadline(engine.clock(), resume.startedAt().plus(engine.totalTimeout()), engine.totalTimeout())
                : Deadline.after(engine.clock(), engine.totalTimeout());
        this.slots = new Semaphore(engine.maxConcurrentTasks(), true);
        this.imageHosts = new ImageHosts(endpoint.base());
        this.downloads = engine.downloadClient().newBuilder().dns(imageHosts).build();
    }

    GenerationResult run() throws InterruptedException {
        List<TaskSpec> specs = dialect.plan(request);
        AtomicInteger threadNumber = new AtomicInteger();
        ExecutorService workers = Executors.newFixedThreadPool(specs.size(), r -> {
            Thread t = new Thread(r, "flux-kontext-task-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> running = new ArrayList<>();
            for (TaskSpec spec : specs) {
                states.put(spec.index(), new TaskState());
                running.add(workers.submit(() -> runTask(spec)));
            }
            for (Future<?> task : running) {
                task.get();
            }
        } catch (InterruptedException e) {
            calls.abort();
            workers.shutdownNow();
            awaitQuietly(workers);
            // Our own calls are cancelled and the workers stopped; now ask the provider, once and briefly, to stop
            // what still runs there (fal, Replicate). Providers without a cancel call (BFL) are only reported.
            RemoteCancels cancels = RemoteCancels.send(
                    stillRunningAtProvider(specs), engine.apiClient(), engine.cancelTimeout(), endpoint, key, scrubber);
            settleAborted(specs, cancels.await());
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
            warnings.add("The manifest could not be written: " + scrubber.failure(e));
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

    /** The tasks without an outcome that the provider accepted and has not finished. */
    private Map<Integer, TaskHandle> stillRunningAtProvider(List<TaskSpec> specs) {
        Map<Integer, TaskHandle> running = new java.util.LinkedHashMap<>();
        for (TaskSpec spec : specs) {
            TaskState state = states.get(spec.index());
            if (state.handle != null && !state.endedAtProvider && !outcomes.containsKey(spec.index())) {
                running.put(spec.index(), state.handle);
            }
        }
        return running;
    }

    /** Gives every task the abort did not let finish an outcome that says what may still be billed. */
    private void settleAborted(List<TaskSpec> specs, Map<Integer, RemoteCancels.Answer> cancels) {
        for (TaskSpec spec : specs) {
            TaskState state = states.get(spec.index());
            TaskOutcome outcome;
            if (state.handle != null) {
                outcome = abandoned(spec.index(), state, cancels.get(spec.index()));
            } else if (state.submitInFlight) {
                outcome = new TaskOutcome.SubmitAmbiguous(
                        spec.index(), null, "the build was aborted while the submit was on its way");
            } else {
                outcome = new TaskOutcome.NotSubmitted(spec.index(), "the build was aborted first");
            }
            if (outcomes.putIfAbsent(spec.index(), outcome) == null) {
                emit(new ProgressEvent.Finished(spec.index(), outcome));
            }
        }
    }

    private static TaskOutcome abandoned(int index, TaskState state, RemoteCancels.Answer cancel) {
        if (state.endedAtProvider) {
            return new TaskOutcome.Cancelled(
                    index,
                    state.handle,
                    false,
                    Billing.BILLED,
                    "finished at the provider and"
                            + " was billed, but the abort stopped it before its images were saved; no file was written.");
        }
        if (cancel != null && cancel.confirmed()) {
            return new TaskOutcome.Cancelled(
                    index,
                    state.handle,
                    true,
                    Billing.MAYBE_BILLED,
                    "was cancelled at the" + " provider on abort (" + cancel.detail()
                            + "); the time it ran before may still be billed.");
        }
        String why = cancel == null ? "no cancel was sent" : cancel.detail();
        return new TaskOutcome.Cancelled(
                index,
                state.handle,
                false,
                Billing.MAYBE_BILLED,
                "was abandoned here; " + why + ", so it may still run and be billed.");
    }

    // ---- one task, on its worker thread ----------------------------------------------------------------------

    /** What an abort needs to know about a task that has not finished. */
    private static final class TaskState {
        volatile boolean submitInFlight;
        volatile TaskHandle handle;
        volatile boolean endedAtProvider;
    }

    private void runTask(TaskSpec spec) {
        TaskState state = states.get(spec.index());
        TaskOutcome outcome;
        try {
            outcome = lifecycle(spec, state);
        } catch (InterruptedException e) {
            return; // the thread that called run() settles it
        } catch (RuntimeException e) {
            String what = "internal error (" + scrubber.failure(e) + ")";
            outcome = state.handle == null
                    ? new TaskOutcome.NotSubmitted(spec.index(), what)
                    : new TaskOutcome.Failed(spec.index(), state.handle, "internal", what, Billing.MAYBE_BILLED);
        }
        // After an abort, an outcome made from a cancelled call would be a lie; run() settles the task instead.
        if (!calls.aborted() && outcomes.putIfAbsent(spec.index(), outcome) == null) {
            emit(new ProgressEvent.Finished(spec.index(), outcome));
        }
    }

    private TaskOutcome lifecycle(TaskSpec spec, TaskState state) throws InterruptedException {
        // A resumed task is already at the provider: it takes no slot, since no submit waits for one.
        if (resumed == null && !slots.tryAcquire()) {
            int limit = engine.maxConcurrentTasks();
            emit(new ProgressEvent.WaitingForSlot(spec.index(), limit - slots.availablePermits(), limit));
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
                shared = engine.taskSlots()
                        .acquire(wait ->
                                emit(new ProgressEvent.WaitingForSlot(spec.index(), wait.inUse(), wait.limit())));
                if (deadline.passed()) {
                    return new TaskOutcome.NotSubmitted(
                            spec.index(),
                            "the " + deadline.total().toSeconds()
                                    + " s deadline passed while it waited for a slot shared with other builds");
                }
            }
            SubmitAccepted accepted;
            switch (resumed != null ? takeUp(spec, state) : submit(spec, state)) {
                case Submission.Ended ended -> {
                    return ended.outcome();
                }
                case Submission.Created created -> accepted = created.accepted();
            }
            TaskHandle handle = accepted.handle();
            state.handle = handle;
            if (resumed == null) {
                // Guaranteed to return before this task's first status request: a caller saves the handle here.
                emit(new ProgressEvent.Submitted(spec.index(), handle));
            }

            String untrusted = untrustedUrl(handle);
            if (untrusted != null) {
                return new TaskOutcome.Failed(
                        spec.index(),
                        handle,
                        "untrusted polling URL",
                        "the provider asked to be polled at " + scrubber.text(Redaction.withoutQuery(untrusted))
                                + ", outside " + Redaction.withoutQuery(endpoint.baseUrl())
                                + " and its domain, so the API key was not sent there. Check the base URL.",
                        Billing.MAYBE_BILLED);
            }

            PollOutcome end;
            try {
                end = accepted.settled() != null ? accepted.settled() : pollToEnd(spec, handle);
            } catch (DeadlinePassed e) {
                return new TaskOutcome.TimedOut(spec.index(), handle, deadline.total());
            } catch (ReadsExhausted e) {
                return new TaskOutcome.Failed(
                        spec.index(),
                        handle,
                        "status unavailable",
                        "asking for the task's status failed " + e.attempts + " times (last: " + e.lastFailure
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
            return switch (end) {
                case PollOutcome.Ready ready ->
                    download(spec, accepted, ready, engine.clock().instant());
                case PollOutcome.Failed failed ->
                    new TaskOutcome.Failed(
                            spec.index(),
                            handle,
                            scrubber.text(failed.code()),
                            scrubber.text(failed.reason()),
                            failed.billing());
                case PollOutcome.Moderated moderated ->
                    new TaskOutcome.Moderated(
                            spec.index(),
                            handle,
                            moderated.side(),
                            moderated.reasons().stream().map(scrubber::text).toList(),
                            moderated.billing());
                case PollOutcome.NotFound notFound -> notFound(spec.index(), handle, notFound);
                case PollOutcome.Cancelled cancelled ->
                    new TaskOutcome.Cancelled(spec.index(), handle, true, cancelled.billing());
                case PollOutcome.Running running -> throw new IllegalStateException("still running");
                case PollOutcome.ResultAvailable available -> throw new IllegalStateException("result not fetched");
            };
        } finally {
            if (holdingSlot) {
                slots.release();
            }
            shared.close();
        }
    }

    /**
     * The task id goes into log lines, outcomes, sidecars and file names. A provider (or a proxy) that names the task
     * with the key would carry the key into all of them, so such an id is kept only masked; the task is still polled
     * at its URLs, which {@link #untrustedUrl} holds to the same rule.
     */
    private SubmitAccepted withMaskedTaskId(SubmitAccepted accepted) {
        TaskHandle h = accepted.handle();
        String masked = scrubber.text(h.taskId());
        if (masked == null || masked.equals(h.taskId())) {
            return accepted;
        }
        TaskHandle safe = new TaskHandle(
                h.provider(),
                masked,
                h.pollingUrl(),
                h.resultUrl(),
                h.cancelUrl(),
                h.index(),
                h.imageCount(),
                h.submittedAt());
        return new SubmitAccepted(safe, accepted.cost(), accepted.settled());
    }

    /**
     * The first URL of {@code handle} the key would be sent to (status, result document, cancel) that is outside the
     * base URL's trust ({@link ProviderEndpoint#mayReceiveKey}), or {@code null} when all are trusted.
     */
    private String untrustedUrl(TaskHandle handle) {
        for (String url : new String[] {handle.pollingUrl(), handle.resultUrl(), handle.cancelUrl()}) {
            HttpUrl parsed = url == null ? null : HttpUrl.parse(url);
            // A URL that holds the key itself would put it in request lines and server logs.
            boolean holdsKey = url != null && !url.equals(key.scrub(url));
            if (url != null && (parsed == null || holdsKey || !endpoint.mayReceiveKey(parsed))) {
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
        if (resumed == null) {
            return new TaskOutcome.NotFound(index, handle, scrubber.text(notFound.detail()));
        }
        String detail = notFound.detail() != null ? notFound.detail() : "the provider answered " + notFound.status();
        return new TaskOutcome.NotFound(index, handle, scrubber.text(detail), Billing.BILLED);
    }

    /**
     * Instead of a submit, for a resumed job: the task's handle, or how the task ends without one. Never sends a
     * submit: a task without a handle may have been created before the interruption, and sending it now could bill
     * it twice. A task whose images are already on disk (proven by their sidecars) ends here, without any request.
     */
    private Submission takeUp(TaskSpec spec, TaskState state) {
        TaskHandle handle = resumed.get(spec.index());
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
                writer.directory(), dialect.id(), handle.taskId(), spec.firstImageIndex(), spec.imageCount());
        if (onDisk.isPresent()) {
            state.endedAtProvider = true;
            List<WrittenImage> images = onDisk.get();
            Cost cost = images.stream()
                    .map(WrittenImage::cost)
                    .filter(java.util.Objects::nonNull)
                    .reduce(Cost::plus)
                    .orElse(null);
            return ended(new TaskOutcome.Succeeded(
                    spec.index(), handle, images, images.get(0).seed(), cost));
        }
        return new Submission.Created(new SubmitAccepted(handle, null));
    }

    /** How a submit ended: a task exists, or this task is over. */
    private sealed interface Submission {
        record Created(SubmitAccepted accepted) implements Submission {}

        record Ended(TaskOutcome outcome) implements Submission {}
    }

    /**
     * Sends the paid submit at most once in the sense that matters: it is repeated only when it provably never
     * reached the provider (no byte of it went out) or the provider answered 429 (nothing created). Everything else
     * that is not a clear answer is {@link TaskOutcome.SubmitAmbiguous}.
     */
    private Submission submit(TaskSpec spec, TaskState state) throws InterruptedException {
        RetryPolicy policy = engine.retryPolicy();
        int index = spec.index();
        int connectFailures = 0;
        int rateLimited = 0;
        while (true) {
            Request submit;
            try {
                submit = dialect.submitRequest(spec, request, endpoint, key);
            } catch (IOException e) {
                return ended(new TaskOutcome.NotSubmitted(
                        index, "an input image could not be read: " + scrubber.failure(e)));
            }
            Instant sentAt = engine.clock().instant();
            Duration retryAfter;
            String why;
            state.submitInFlight = true;
            try (Flight flight = calls.send(engine.submitClient(dialect.submitHold()), submit, deadline)) {
                Response response = flight.response();
                int code = response.code();
                if (code >= 200 && code < 300) {
                    try {
                        ProviderReply reply = reply(response);
                        return new Submission.Created(
                                withMaskedTaskId(dialect.readSubmitted(spec, reply, endpoint, sentAt)));
                    } catch (MalformedReplyException e) {
                        return ended(new TaskOutcome.SubmitAmbiguous(
                                index,
                                scrubber.text(e.taskId()),
                                "the answer could not be read: " + scrubber.text(e.getMessage())));
                    } catch (IOException e) {
                        return ended(new TaskOutcome.SubmitAmbiguous(
                                index, null, "the answer broke off: " + scrubber.failure(e)));
                    }
                }
                if (code == 408 || code >= 500) {
                    return ended(new TaskOutcome.SubmitAmbiguous(
                            index, null, "HTTP " + code + optionalReason(readQuietly(response))));
                }
                if (code != 429) {
                    SubmitRefusal refusal = dialect.readRefusal(readQuietly(response));
                    if (refusal.moderation() != null) {
                        return ended(new TaskOutcome.Moderated(
                                index,
                                null,
                                refusal.moderation(),
                                List.of(scrubber.text(refusal.reason())),
                                Billing.NOT_BILLED));
                    }
                    return ended(
                            new TaskOutcome.Rejected(index, refusal.kind(), code, scrubber.text(refusal.reason())));
                }
                rateLimited++;
                why = "rate limited (HTTP 429)";
                retryAfter = RetryAfter.parse(response.header("Retry-After"), engine.clock());
                if (rateLimited >= policy.submitRateLimitTries()) {
                    return ended(new TaskOutcome.Rejected(
                            index,
                            RejectionKind.RATE_LIMITED,
                            429,
                            "still refused after " + rateLimited + " tries"
                                    + optionalReason(readQuietly(response)).replaceFirst("^: ", "; ")));
                }
            } catch (TransportFailure e) {
                if (e.requestSent()) {
                    return ended(new TaskOutcome.SubmitAmbiguous(index, null, scrubber.failure(e.failure())));
                }
                connectFailures++;
                why = scrubber.failure(e.failure());
                retryAfter = null;
                if (connectFailures >= policy.submitConnectAttempts()) {
                    return ended(new TaskOutcome.NotSubmitted(
                            index,
                            "could not reach "
                                    + Redaction.withoutQuery(endpoint.baseUrl()) + " after " + connectFailures
                                    + " attempts: " + why));
                }
            } catch (DeadlinePassed e) {
                return ended(
                        e.requestSent()
                                ? new TaskOutcome.SubmitAmbiguous(index, null, "no answer before the deadline")
                                : new TaskOutcome.NotSubmitted(index, "the deadline passed before it could be sent"));
            } finally {
                state.submitInFlight = false;
            }
            Duration wait =
                    retryAfter != null ? retryAfter : policy.backoff(connectFailures + rateLimited, engine.random());
            if (wait.compareTo(deadline.remaining()) >= 0) {
                return ended(
                        retryAfter != null
                                ? new TaskOutcome.Rejected(
                                        index,
                                        RejectionKind.RATE_LIMITED,
                                        429,
                                        "the provider asked to wait " + retryAfter.toSeconds()
                                                + " s, beyond the deadline")
                                : new TaskOutcome.NotSubmitted(index, "the deadline passed while retrying: " + why));
            }
            emit(new ProgressEvent.Retrying(index, "submit", why, wait));
            engine.sleeper().sleep(wait);
        }
    }

    private static Submission ended(TaskOutcome outcome) {
        return new Submission.Ended(outcome);
    }

    private String optionalReason(ProviderReply reply) {
        if (reply == null || reply.body() == null || reply.body().isBlank()) {
            return "";
        }
        String body = reply.body().strip().replaceAll("\\s+", " ");
        return ": " + scrubber.text(body.length() > 300 ? body.substring(0, 300) + "…" : body);
    }

    // ---- polling ---------------------------------------------------------------------------------------------

    private PollOutcome pollToEnd(TaskSpec spec, TaskHandle handle)
            throws DeadlinePassed, ReadsExhausted, InterruptedException {
        String what = "status of task " + handle.taskId();
        int polls = 0;
        String lastStatus = null;
        Integer lastPercent = null;
        while (true) {
            Duration since =
                    Duration.between(handle.submittedAt(), engine.clock().instant());
            Duration wait = engine.pollSchedule().nextDelay(polls, since, lastPercent);
            Duration remaining = deadline.remaining();
            engine.sleeper().sleep(wait.compareTo(remaining) < 0 ? wait : remaining);
            if (deadline.passed()) {
                throw new DeadlinePassed(true);
            }
            PollOutcome outcome;
            try {
                outcome = read(
                        spec.index(),
                        what,
                        engine.apiClient(),
                        () -> dialect.pollRequest(handle, endpoint, key),
                        r -> dialect.readPoll(handle, reply(r)));
                polls++;
                if (outcome instanceof PollOutcome.ResultAvailable) {
                    outcome = read(
                            spec.index(),
                            "result of task " + handle.taskId(),
                            engine.apiClient(),
                            () -> dialect.resultRequest(handle, endpoint, key),
                            r -> dialect.readResult(handle, reply(r)));
                }
            } catch (IOException e) {
                // read() lets only download-specific failures through; none can come from a status answer.
                throw new ReadsExhausted(1, scrubber.failure(e));
            }
            if (!outcome.status().equals(lastStatus)) {
                lastStatus = outcome.status();
                emit(new ProgressEvent.StatusChanged(spec.index(), handle.taskId(), scrubber.text(lastStatus)));
            }
            if (outcome instanceof PollOutcome.Running running) {
                if (running.percent() != null && !running.percent().equals(lastPercent)) {
                    emit(new ProgressEvent.Progress(spec.index(), handle.taskId(), running.percent()));
                }
                lastPercent = running.percent() != null ? running.percent() : lastPercent;
                continue;
            }
            if (outcome instanceof PollOutcome.ResultAvailable) {
                continue;
            }
            return outcome;
        }
    }

    // ---- downloads -------------------------------------------------------------------------------------------

    private TaskOutcome download(TaskSpec spec, SubmitAccepted accepted, PollOutcome.Ready ready, Instant readyAt)
            throws InterruptedException {
        TaskHandle handle = accepted.handle();
        int index = spec.index();
        Long seed = ready.seed() != null ? ready.seed() : spec.seed();
        List<String> urls = ready.imageUrls();
        if (urls.isEmpty()) {
            return new TaskOutcome.DownloadFailed(index, handle, "the provider reported success without an image URL");
        }
        // A cost the finished task reports (Vtrix) is the final figure; else the one the submit answer gave.
        Cost taskCost = ready.cost() != null ? ready.cost() : accepted.cost();
        if (taskCost != null && writer.simulated()) {
            taskCost = taskCost.asSimulated();
        }
        Cost perImage = taskCost == null
                ? null
                : new Cost(
                        taskCost.usd()
                                .divide(BigDecimal.valueOf(urls.size()), 6, RoundingMode.HALF_UP)
                                .stripTrailingZeros(),
                        taskCost.source());
        List<WrittenImage> images = new ArrayList<>();
        boolean askedAgain = false;
        for (int i = 0; i < urls.size(); i++) {
            String url = urls.get(i);
            String shown = Redaction.withoutQuery(url);
            HttpUrl target = HttpUrl.parse(url);
            if (target == null) {
                return new TaskOutcome.DownloadFailed(
                        index, handle, "the image URL is not an http(s) URL: " + scrubber.text(shown));
            }
            ImageProvenance provenance = new ImageProvenance(
                    spec.firstImageIndex() + i,
                    dialect.id(),
                    handle.taskId(),
                    seed,
                    perImage,
                    handle.submittedAt(),
                    readyAt,
                    shown);
            try {
                WrittenImage image = fetchImage(index, handle, target, provenance);
                images.add(image);
                emit(new ProgressEvent.Downloaded(index, image));
            } catch (ResultRefused e) {
                // A signed link may have expired (reliability.md D-05): ask once for a fresh one, never blindly again.
                if (!askedAgain) {
                    askedAgain = true;
                    List<String> fresh = freshUrls(spec, handle);
                    if (fresh.size() == urls.size() && !fresh.get(i).equals(url)) {
                        urls = fresh;
                        i--;
                        continue;
                    }
                }
                if (resumed != null) {
                    return new TaskOutcome.NotFound(
                            index,
                            handle,
                            "its image link " + shown + " answered HTTP " + e.code
                                    + " and the provider had no fresh one",
                            Billing.BILLED);
                }
                return new TaskOutcome.DownloadFailed(
                        index,
                        handle,
                        "the image URL " + shown + " answered HTTP " + e.code
                                + "; signed links expire (BFL's after 10 minutes) and the provider had no fresh one");
            } catch (UntrustedImageUrl e) {
                return new TaskOutcome.DownloadFailed(index, handle, "refusing to download " + e.url + ": " + e.why);
            } catch (ImageRejectedException e) {
                return new TaskOutcome.DownloadFailed(
                        index, handle, scrubber.text(e.getMessage()) + " (from " + shown + ")");
            } catch (ReadsExhausted e) {
                return new TaskOutcome.DownloadFailed(
                        index,
                        handle,
                        "downloading " + shown + " failed " + e.attempts + " times (last: " + e.lastFailure + ")");
            } catch (DeadlinePassed e) {
                return new TaskOutcome.DownloadFailed(
                        index,
                        handle,
                        "the " + deadline.total().toSeconds() + " s deadline passed while downloading " + shown);
            } catch (IOException e) {
                return new TaskOutcome.DownloadFailed(index, handle, scrubber.failure(e));
            }
        }
        return new TaskOutcome.Succeeded(index, handle, images, seed, taskCost);
    }

    /**
     * Downloads one image into its file. A plain GET: signed result URLs carry their own authorisation, and the key
     * never goes there. Redirects are followed here rather than by the client, so every hop passes the same
     * {@link ImageHosts} rule as the first URL.
     */
    private WrittenImage fetchImage(int index, TaskHandle handle, HttpUrl first, ImageProvenance provenance)
            throws IOException, ReadsExhausted, DeadlinePassed, InterruptedException {
        HttpUrl target = first;
        for (int hop = 0; ; hop++) {
            String refusal = imageHosts.refusal(target);
            if (refusal != null) {
                throw new UntrustedImageUrl(scrubber.text(Redaction.withoutQuery(target.toString())), refusal);
            }
            HttpUrl current = target;
            try {
                return read(
                        index,
                        "download of task " + handle.taskId(),
                        downloads,
                        () -> new Request.Builder().url(current).get().build(),
                        r -> {
                            if (r.isRedirect()) {
                                throw new Redirected(r.header("Location"));
                            }
                            if (r.code() >= 400 && r.code() < 500) {
                                throw new ResultRefused(r.code());
                            }
                            if (!r.isSuccessful()) {
                                throw new ImageRejectedException("the image URL answered HTTP " + r.code());
                            }
                            try (InputStream body = r.body().byteStream()) {
                                return writer.write(provenance, body);
                            }
                        });
            } catch (Redirected e) {
                HttpUrl next = e.location == null ? null : current.resolve(e.location);
                if (next == null || hop >= MAX_IMAGE_REDIRECTS) {
                    throw new ImageRejectedException("the image URL redirected "
                            + (next == null
                                    ? "without a usable Location"
                                    : "more than " + MAX_IMAGE_REDIRECTS + " times"));
                }
                target = next;
            }
        }
    }

    private List<String> freshUrls(TaskSpec spec, TaskHandle handle) throws InterruptedException {
        try {
            PollOutcome again = read(
                    spec.index(),
                    "status of task " + handle.taskId(),
                    engine.apiClient(),
                    () -> dialect.pollRequest(handle, endpoint, key),
                    r -> dialect.readPoll(handle, reply(r)));
            return again instanceof PollOutcome.Ready ready ? ready.imageUrls() : List.of();
        } catch (IOException | ReadsExhausted | DeadlinePassed e) {
            return List.of();
        }
    }

    // ---- reads: status requests and downloads, repeated with backoff -----------------------------------------

    @FunctionalInterface
    private interface ReplyReader<T> {
        /** Reads a response that is not 408, 429 or 5xx. An IOException is worth another try unless it says not. */
        T read(Response response) throws IOException;
    }

    @FunctionalInterface
    private interface RequestMaker {
        Request make();
    }

    /** A 4xx from a result URL: asking the same URL again will not help. */
    private static final class ResultRefused extends IOException {
        private static final long serialVersionUID = 1L;
        final int code;

        ResultRefused(int code) {
            super("HTTP " + code);
            this.code = code;
        }
    }

    /** The image host answered with a redirect; {@link #fetchImage} checks the next hop before following it. */
    private static final class Redirected extends IOException {
        private static final long serialVersionUID = 1L;
        final String location;

        Redirected(String location) {
            super("redirect");
            this.location = location;
        }
    }

    /** A result URL (or a redirect hop) outside what {@link ImageHosts} allows; nothing was fetched from it. */
    private static final class UntrustedImageUrl extends IOException {
        private static final long serialVersionUID = 1L;
        final String url;
        final String why;

        UntrustedImageUrl(String url, String why) {
            super(why);
            this.url = url;
            this.why = why;
        }
    }

    /** The read failed as often as the policy allows. */
    private static final class ReadsExhausted extends Exception {
        private static final long serialVersionUID = 1L;
        final int attempts;
        final String lastFailure;

        ReadsExhausted(int attempts, String lastFailure) {
            super(null, null, false, false);
            this.attempts = attempts;
            this.lastFailure = lastFailure;
        }
    }

    /**
     * Sends an idempotent GET until {@code reader} accepts an answer: connection failures, 408, 429, 5xx, unreadable
     * answers and broken bodies are tried again with capped, jittered backoff ({@code Retry-After} wins) within the
     * policy's attempts and the deadline. {@link ImageRejectedException} and {@link ResultRefused} end it at once.
     */
    private <T> T read(int index, String what, okhttp3.OkHttpClient client, RequestMaker request, ReplyReader<T> reader)
            throws ReadsExhausted, DeadlinePassed, InterruptedException, IOException {
        RetryPolicy policy = engine.retryPolicy();
        for (int attempt = 1; ; attempt++) {
            String failure;
            Duration retryAfter = null;
            try (Flight flight = calls.send(client, request.make(), deadline)) {
                Response response = flight.response();
                int code = response.code();
                if (code == 408 || code == 429 || code >= 500) {
                    failure = "HTTP " + code;
                    retryAfter = RetryAfter.parse(response.header("Retry-After"), engine.clock());
                } else {
                    return reader.read(response);
                }
            } catch (TransportFailure e) {
                failure = scrubber.failure(e.failure());
            } catch (ImageRejectedException | ResultRefused | Redirected e) {
                throw e;
            } catch (MalformedReplyException e) {
                failure = "unreadable answer: " + scrubber.text(e.getMessage());
            } catch (IOException e) {
                failure = scrubber.failure(e);
            }
            if (calls.aborted() || Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("aborted");
            }
            if (attempt >= policy.readAttempts()) {
                throw new ReadsExhausted(attempt, failure);
            }
            Duration wait = retryAfter != null ? retryAfter : policy.backoff(attempt, engine.random());
            if (wait.compareTo(deadline.remaining()) >= 0) {
                throw new DeadlinePassed(false);
            }
            emit(new ProgressEvent.Retrying(index, what, failure, wait));
            engine.sleeper().sleep(wait);
        }
    }

    /** Reads an API answer; one from the simulator on loopback marks the run's files as simulated. */
    private ProviderReply reply(Response response) throws IOException {
        ProviderReply reply = ProviderReply.read(response, MAX_REPLY_BYTES);
        if (reply.fromSimulator() && endpoint.isLoopback()) {
            writer.markSimulated();
        }
        return reply;
    }

    /** An error answer's body, or none when it cannot be read; the status code alone still decides. */
    private ProviderReply readQuietly(Response response) {
        try {
            return reply(response);
        } catch (IOException e) {
            return new ProviderReply(response.code(), response.headers(), "");
        }
    }

    private void emit(ProgressEvent event) {
        try {
            listener.on(event);
        } catch (RuntimeException ignored) {
            // A broken progress display must not break a paid task.
        }
    }
}
