package io.jenkins.plugins.fluxkontext.simulator;

import java.awt.image.BufferedImage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One task as the simulated provider holds it, shared by every dialect: what was asked, what will happen
 * (its {@link TaskScript}), and where it is now. The state moves only forward, driven by the board's timer.
 */
final class SimulatedTask {

    final String id;
    final String dialect;
    final String model;
    final String prompt;
    final long seed;
    final FrameSize size;
    final String format;
    final List<BufferedImage> inputs;
    final TaskScript script;
    final Instant submittedAt;
    final Duration latency;
    /** Images this task makes (fal and Runflow batch up to four); each is painted with {@code seed + index}. */
    final int imageCount;

    final BillingRule billing;

    private volatile TaskState state = TaskState.PENDING;
    private volatile Instant endedAt;
    private volatile Instant firstSeenEndedAt;
    private final AtomicInteger polls = new AtomicInteger();
    private final AtomicInteger downloads = new AtomicInteger();
    private final AtomicInteger streams = new AtomicInteger();
    private final AtomicInteger resultFetches = new AtomicInteger();
    private final byte[][] images;
    private volatile Future<?> scheduledEnd;
    private final CompletableFuture<Instant> endingSignal = new CompletableFuture<>();

    SimulatedTask(
            String id,
            String dialect,
            String model,
            String prompt,
            long seed,
            FrameSize size,
            String format,
            List<BufferedImage> inputs,
            TaskScript script,
            Instant submittedAt,
            Duration latency,
            int imageCount,
            BillingRule billing) {
        this.id = id;
        this.dialect = dialect;
        this.model = model;
        this.prompt = prompt;
        this.seed = seed;
        this.size = size;
        this.format = format;
        this.inputs = List.copyOf(inputs);
        this.script = script;
        this.submittedAt = submittedAt;
        this.latency = latency;
        this.imageCount = imageCount;
        this.billing = billing;
        this.images = new byte[imageCount][];
    }

    /** Where the board's timer will end this task; cancelled when the client cancels it first. */
    void scheduledEnd(Future<?> value) {
        scheduledEnd = value;
    }

    Future<?> scheduledEnd() {
        return scheduledEnd;
    }

    /** Share of the latency gone by, 0.0 to 1.0 (1.0 once ended): dialects name their early phases from it. */
    double elapsedShare(Instant now) {
        if (state.ended()) {
            return 1.0;
        }
        long total = Math.max(1, latency.toMillis());
        return Math.max(
                0.0, Math.min(1.0, (double) Duration.between(submittedAt, now).toMillis() / total));
    }

    TaskState state() {
        return state;
    }

    Instant endedAt() {
        return endedAt;
    }

    void end(TaskState ending, Instant at) {
        endedAt = at;
        state = ending;
        ending().complete(at);
    }

    /** Completes when the task ends: what a held answer or a status stream waits on. */
    CompletableFuture<Instant> ending() {
        return endingSignal;
    }

    /** Progress while pending, 0.0 to 1.0, from the time elapsed against the task's latency. */
    double progress(Instant now) {
        if (state.ended()) {
            return 1.0;
        }
        long total = Math.max(1, latency.toMillis());
        double done = (double) Duration.between(submittedAt, now).toMillis() / total;
        // Never report 100 % while still pending: a client must not take progress for completion.
        return Math.max(0.0, Math.min(0.99, done));
    }

    /** Counts a poll and returns how many came before it. */
    int countPoll(TaskState answered, Instant now) {
        synchronized (this) {
            if (answered.ended() && firstSeenEndedAt == null) {
                firstSeenEndedAt = now;
            }
        }
        return polls.getAndIncrement();
    }

    void countDownload() {
        downloads.incrementAndGet();
    }

    /** Counts an opened status stream (fal's {@code status/stream}) and returns how many came before it. */
    int countStream() {
        return streams.getAndIncrement();
    }

    /** Counts a request for the result document (fal's {@code response_url}). */
    void countResultFetch() {
        resultFetches.incrementAndGet();
    }

    /**
     * Notes that an answer other than a poll told a client the task ended (a stream event, a held submit answer), at
     * {@code now}; the first such moment, like the first poll that saw it, is when the client learnt of the end.
     */
    synchronized void toldEnded(Instant now) {
        if (state.ended() && (firstSeenEndedAt == null || now.isBefore(firstSeenEndedAt))) {
            firstSeenEndedAt = now;
        }
    }

    /** The result image, painted on first use and kept: same task, same bytes. */
    byte[] image(ImagePainter painter, int paddingBytes) {
        return image(painter, paddingBytes, 0);
    }

    /** Image {@code index} (0-based) of a batch, painted with {@code seed + index}. */
    synchronized byte[] image(ImagePainter painter, int paddingBytes, int index) {
        if (images[index] == null) {
            images[index] =
                    painter.paint(new ImagePainter.Order(prompt, seed + index, size, format, inputs, paddingBytes));
        }
        return images[index];
    }

    String promptExcerpt() {
        String oneLine = prompt.replaceAll("\\s+", " ");
        return oneLine.length() <= 40 ? oneLine : oneLine.substring(0, 39) + "…";
    }

    TaskReport report() {
        return new TaskReport(
                id,
                model,
                state,
                submittedAt,
                endedAt,
                firstSeenEndedAt,
                polls.get(),
                downloads.get(),
                dialect,
                streams.get(),
                resultFetches.get());
    }
}
