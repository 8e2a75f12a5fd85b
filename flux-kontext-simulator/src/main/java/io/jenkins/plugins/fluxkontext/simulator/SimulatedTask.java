package io.jenkins.plugins.fluxkontext.simulator;

import java.awt.image.BufferedImage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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

    private volatile TaskState state = TaskState.PENDING;
    private volatile Instant endedAt;
    private volatile Instant firstSeenEndedAt;
    private final AtomicInteger polls = new AtomicInteger();
    private final AtomicInteger downloads = new AtomicInteger();
    private byte[] image;

    SimulatedTask(String id, String dialect, String model, String prompt, long seed, FrameSize size, String format,
            List<BufferedImage> inputs, TaskScript script, Instant submittedAt, Duration latency) {
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
        if (answered.ended() && firstSeenEndedAt == null) {
            firstSeenEndedAt = now;
        }
        return polls.getAndIncrement();
    }

    void countDownload() {
        downloads.incrementAndGet();
    }

    /** The result image, painted on first use and kept: same task, same bytes. */
    synchronized byte[] image(ImagePainter painter, int paddingBytes) {
        if (image == null) {
            image = painter.paint(new ImagePainter.Order(prompt, seed, size, format, inputs, paddingBytes));
        }
        return image;
    }

    String promptExcerpt() {
        String oneLine = prompt.replaceAll("\\s+", " ");
        return oneLine.length() <= 40 ? oneLine : oneLine.substring(0, 39) + "…";
    }

    TaskReport report() {
        return new TaskReport(id, model, state, submittedAt, endedAt, firstSeenEndedAt, polls.get(), downloads.get());
    }
}
