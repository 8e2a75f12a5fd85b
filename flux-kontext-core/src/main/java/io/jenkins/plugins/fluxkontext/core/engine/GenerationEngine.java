package io.jenkins.plugins.fluxkontext.core.engine;

import java.time.Duration;

/**
 * Runs requests: submit each task once, poll it to the end, download its images as soon as it succeeds.
 * Thread-safe; one engine may run several jobs. Interrupting the calling thread cancels in-flight HTTP calls,
 * stops polling at once and leaves no partial file.
 */
public final class GenerationEngine implements AutoCloseable {

    /** BFL's limit of tasks in flight for kontext-max. */
    public static final int DEFAULT_MAX_CONCURRENT_TASKS = 6;
    public static final Duration DEFAULT_TOTAL_TIMEOUT = Duration.ofMinutes(10);

    private final int maxConcurrentTasks;
    private final Duration totalTimeout;

    private GenerationEngine(Builder builder) {
        this.maxConcurrentTasks = builder.maxConcurrentTasks;
        this.totalTimeout = builder.totalTimeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs {@code job} to the end and returns every task's outcome. Validation problems (the request against the
     * provider, the output names) throw {@link io.jenkins.plugins.fluxkontext.core.model.InvalidRequestException}
     * before anything is sent.
     */
    public GenerationResult run(GenerationJob job, ProgressListener listener) throws InterruptedException {
        throw new UnsupportedOperationException("engine not implemented yet");
    }

    @Override
    public void close() {
    }

    public static final class Builder {
        private int maxConcurrentTasks = DEFAULT_MAX_CONCURRENT_TASKS;
        private Duration totalTimeout = DEFAULT_TOTAL_TIMEOUT;

        private Builder() {
        }

        /** At most this many tasks in flight at once (submitted and not yet finished). */
        public Builder maxConcurrentTasks(int max) {
            this.maxConcurrentTasks = max;
            return this;
        }

        /** The whole job, from first submit to last download, must finish within this. */
        public Builder totalTimeout(Duration timeout) {
            this.totalTimeout = timeout;
            return this;
        }

        public GenerationEngine build() {
            return new GenerationEngine(this);
        }
    }
}
