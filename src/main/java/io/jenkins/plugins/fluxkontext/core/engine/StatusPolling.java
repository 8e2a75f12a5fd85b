package io.jenkins.plugins.fluxkontext.core.engine;

import io.jenkins.plugins.fluxkontext.core.engine.InFlightCalls.DeadlinePassed;
import io.jenkins.plugins.fluxkontext.core.engine.InFlightCalls.Flight;
import io.jenkins.plugins.fluxkontext.core.engine.InFlightCalls.TransportFailure;
import io.jenkins.plugins.fluxkontext.core.engine.RetriedReads.ReadsExhausted;
import io.jenkins.plugins.fluxkontext.core.provider.PollOutcome;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderDialect;
import io.jenkins.plugins.fluxkontext.core.provider.StatusPacing;
import io.jenkins.plugins.fluxkontext.core.provider.TaskSpec;
import io.jenkins.plugins.fluxkontext.core.task.TaskHandle;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import okhttp3.Request;
import okhttp3.Response;
import okio.BufferedSource;

/**
 * Learns that a task ended, as cheaply as its provider allows: from the status stream the provider keeps open until the
 * end (fal), else by asking for the status on the engine's {@link PollSchedule}, which the provider's progress or
 * this machine's past durations for the provider and model place ({@link TaskDurations}), never sooner than the
 * provider's documented {@link StatusPacing}. Fetches the separate result document where the provider keeps one,
 * tells the listener of each new status and progress figure, and records how long a task that succeeded took.
 */
final class StatusPolling {

    /** Connections of a status stream in a row that may end without a single event before the engine polls instead. */
    private static final int STREAM_ATTEMPTS = 3;
    /** No line of a status stream is anywhere near this long; a longer one is not the provider's. */
    private static final long MAX_EVENT_BYTES = 1024 * 1024;

    private final RunContext run;
    private final RetriedReads reads;

    StatusPolling(RunContext run, RetriedReads reads) {
        this.run = run;
        this.reads = reads;
    }

    /** Follows the task until it ends; never returns {@link PollOutcome.Running} or {@link PollOutcome.ResultAvailable}. */
    PollOutcome pollToEnd(TaskSpec spec, TaskHandle handle)
            throws DeadlinePassed, ReadsExhausted, InterruptedException {
        Sightings seen = new Sightings(spec, handle);
        PollOutcome end = streamToEnd(spec, handle, seen);
        if (end == null) {
            end = pollUntilEnd(spec, handle, seen);
        }
        if (end instanceof PollOutcome.ResultAvailable) {
            end = result(spec, handle);
        }
        if (end instanceof PollOutcome.Ready) {
            run.recordDuration(seen.duration());
        }
        return end;
    }

    /** Polls on the schedule until the provider reports an end (a result to fetch counts as one). */
    private PollOutcome pollUntilEnd(TaskSpec spec, TaskHandle handle, Sightings seen)
            throws DeadlinePassed, ReadsExhausted, InterruptedException {
        GenerationEngine engine = run.engine();
        Deadline deadline = run.deadline();
        ProviderDialect dialect = run.dialect();
        StatusPacing pacing = dialect.statusPacing();
        PollSchedule schedule = engine.pollSchedule().expecting(run.expectedDuration());
        // The pacing counts from here, just after the submit's answer: the provider has the task by then for sure.
        Instant pacedFrom = engine.clock().instant();
        int polls = 0;
        while (true) {
            Instant now = engine.clock().instant();
            Duration since = Duration.between(handle.submittedAt(), now);
            Duration wait = pacing.apply(
                    polls,
                    Duration.between(pacedFrom, now),
                    schedule.nextDelay(polls, since, seen.lastPercent),
                    engine.random());
            Duration remaining = deadline.remaining();
            engine.sleeper().sleep(wait.compareTo(remaining) < 0 ? wait : remaining);
            if (deadline.passed()) {
                throw new DeadlinePassed(true);
            }
            PollOutcome outcome;
            try {
                outcome = reads.read(
                        spec.index(),
                        "status of task " + handle.taskId(),
                        engine.clients().api(),
                        () -> dialect.pollRequest(handle, run.endpoint(), run.key()),
                        r -> dialect.readPoll(handle, run.reply(r)),
                        answer -> false,
                        pacing.between());
            } catch (IOException e) {
                // read() lets only download-specific failures through; none can come from a status answer.
                throw new ReadsExhausted(1, run.scrubber().failure(e));
            }
            polls++;
            seen.saw(outcome, false);
            if (!(outcome instanceof PollOutcome.Running)) {
                return outcome;
            }
        }
    }

    /**
     * Reads the provider's status stream until it tells the end; {@code null} when the provider has none, refuses
     * it, or it keeps breaking off without a word, and the task is to be polled instead. A stream that breaks off after
     * telling something is opened again at once: that is how a long task outlasts the read timeout.
     */
    private PollOutcome streamToEnd(TaskSpec spec, TaskHandle handle, Sightings seen)
            throws DeadlinePassed, InterruptedException {
        ProviderDialect dialect = run.dialect();
        if (dialect.statusStreamRequest(handle, run.endpoint(), run.key()) == null) {
            return null;
        }
        GenerationEngine engine = run.engine();
        Deadline deadline = run.deadline();
        int silent = 0;
        while (silent < STREAM_ATTEMPTS) {
            Request request = dialect.statusStreamRequest(handle, run.endpoint(), run.key());
            String why;
            int heard = seen.heard;
            try (Flight flight = run.calls().send(engine.clients().api(), request, deadline)) {
                Response response = flight.response();
                int code = response.code();
                if (code == 408 || code == 429 || code >= 500) {
                    why = "HTTP " + code;
                } else if (!response.isSuccessful()) {
                    // A provider (or a gateway in front of it) that does not stream: its status URL still answers.
                    return null;
                } else {
                    PollOutcome end = readEvents(handle, response.body().source(), seen);
                    if (end != null) {
                        return end;
                    }
                    why = "the status stream ended before the task did";
                }
            } catch (TransportFailure e) {
                why = run.scrubber().failure(e.failure());
            } catch (IOException e) {
                why = run.scrubber().failure(e);
            }
            if (run.calls().aborted() || Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("aborted");
            }
            if (deadline.passed()) {
                throw new DeadlinePassed(true);
            }
            silent = seen.heard > heard ? 0 : silent + 1;
            Duration wait = silent == 0 ? Duration.ZERO : engine.retryPolicy().backoff(silent, engine.random());
            if (wait.compareTo(deadline.remaining()) >= 0) {
                throw new DeadlinePassed(false);
            }
            if (silent > 0) {
                run.emit(new ProgressEvent.Retrying(
                        spec.index(), "status stream of task " + handle.taskId(), why, wait));
                engine.sleeper().sleep(wait);
            }
        }
        return null;
    }

    /**
     * The events of one connection of the stream (server-sent events: {@code data:} lines, a blank line ends an
     * event), until one tells an end; {@code null} when the stream ends first.
     */
    private PollOutcome readEvents(TaskHandle handle, BufferedSource events, Sightings seen) throws IOException {
        StringBuilder data = new StringBuilder();
        while (!events.exhausted()) {
            String line = events.readUtf8LineStrict(MAX_EVENT_BYTES);
            if (line.isEmpty()) {
                if (!data.isEmpty()) {
                    PollOutcome outcome = run.dialect().readStreamEvent(handle, data.toString());
                    data.setLength(0);
                    seen.saw(outcome, true);
                    if (!(outcome instanceof PollOutcome.Running)) {
                        return outcome;
                    }
                }
            } else if (line.startsWith("data:")) {
                if (data.length() + line.length() > MAX_EVENT_BYTES) {
                    throw new IOException("a status event longer than " + MAX_EVENT_BYTES + " bytes");
                }
                String value = line.substring(5);
                data.append(data.isEmpty() ? "" : "\n").append(value.startsWith(" ") ? value.substring(1) : value);
            }
            // Comments (": keep-alive"), event names, ids and retry hints say nothing about the task.
        }
        return null;
    }

    private PollOutcome result(TaskSpec spec, TaskHandle handle)
            throws DeadlinePassed, ReadsExhausted, InterruptedException {
        ProviderDialect dialect = run.dialect();
        try {
            return reads.read(
                    spec.index(),
                    "result of task " + handle.taskId(),
                    run.engine().clients().api(),
                    () -> dialect.resultRequest(handle, run.endpoint(), run.key()),
                    r -> dialect.readResult(handle, run.reply(r)),
                    dialect::isResultError,
                    Duration.ZERO);
        } catch (IOException e) {
            throw new ReadsExhausted(1, run.scrubber().failure(e));
        }
    }

    /**
     * The image URLs of one more status answer, for a download whose signed link was refused; empty when the provider
     * has none (or cannot be asked).
     */
    List<String> freshUrls(TaskSpec spec, TaskHandle handle) throws InterruptedException {
        ProviderDialect dialect = run.dialect();
        try {
            PollOutcome again = reads.read(
                    spec.index(),
                    "status of task " + handle.taskId(),
                    run.engine().clients().api(),
                    () -> dialect.pollRequest(handle, run.endpoint(), run.key()),
                    r -> dialect.readPoll(handle, run.reply(r)));
            return again instanceof PollOutcome.Ready ready ? ready.imageUrls() : List.of();
        } catch (IOException | ReadsExhausted | DeadlinePassed e) {
            return List.of();
        }
    }

    /**
     * What one task's status answers and events said so far: the last status and progress (each change told to the
     * listener), and when the task was last seen running, which bounds when it ended.
     */
    private final class Sightings {
        private final TaskSpec spec;
        private final TaskHandle handle;
        private String lastStatus;
        private Integer lastPercent;
        private Instant lastRunning;
        private Instant ended;
        private boolean endedLive;
        /** Answers and events read so far. */
        private int heard;

        Sightings(TaskSpec spec, TaskHandle handle) {
            this.spec = spec;
            this.handle = handle;
            this.lastRunning = handle.submittedAt();
        }

        /** {@code live}: told by the stream the moment it happened, not found by a poll some time after. */
        void saw(PollOutcome outcome, boolean live) {
            Instant now = run.engine().clock().instant();
            heard++;
            if (!outcome.status().equals(lastStatus)) {
                lastStatus = outcome.status();
                run.emit(new ProgressEvent.StatusChanged(
                        spec.index(), handle.taskId(), run.scrubber().text(lastStatus)));
            }
            if (outcome instanceof PollOutcome.Running running) {
                if (running.percent() != null && !running.percent().equals(lastPercent)) {
                    run.emit(new ProgressEvent.Progress(spec.index(), handle.taskId(), running.percent()));
                }
                lastPercent = running.percent() != null ? running.percent() : lastPercent;
                lastRunning = now;
            } else {
                ended = now;
                endedLive = live;
            }
        }

        /**
         * How long the task took, as well as the answers tell: when the stream told its end, until then; else it ended
         * between the last answer that had it running and the first that did not, so the middle of that.
         */
        Duration duration() {
            Instant end = ended == null ? run.engine().clock().instant() : ended;
            if (endedLive) {
                return Duration.between(handle.submittedAt(), end);
            }
            Duration lastSeenRunning = Duration.between(handle.submittedAt(), lastRunning);
            return lastSeenRunning.plus(Duration.between(lastRunning, end).dividedBy(2));
        }
    }
}
