package io.jenkins.plugins.fluxkontext.core.engine;

import io.jenkins.plugins.fluxkontext.core.model.InvalidRequestException;
import io.jenkins.plugins.fluxkontext.core.model.Violation;
import io.jenkins.plugins.fluxkontext.core.output.OutputWriter;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderDialect;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/**
 * Runs requests: submit each task once, poll it to the end, download its images as soon as it succeeds.
 * Thread-safe; one engine may run several jobs, and should be closed when done (it owns an HTTP client).
 *
 * <p>Interrupting the thread that called {@link #run} cancels every in-flight HTTP call of that job, stops polling at
 * once, leaves no partial file, and throws {@link GenerationAbortedException}, whose result lists each task's ending
 * and so which task ids may still be billed.
 */
public final class GenerationEngine implements AutoCloseable {

    /** BFL's limit of tasks in flight for kontext-max. */
    public static final int DEFAULT_MAX_CONCURRENT_TASKS = 6;
    public static final Duration DEFAULT_TOTAL_TIMEOUT = Duration.ofMinutes(10);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(20);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);

    private final int maxConcurrentTasks;
    private final Duration totalTimeout;
    private final RetryPolicy retryPolicy;
    private final PollSchedule pollSchedule;
    private final Clock clock;
    private final Sleeper sleeper;
    private final RandomGenerator random;
    private final OkHttpClient apiClient;
    private final OkHttpClient submitClient;
    private final OkHttpClient downloadClient;

    private GenerationEngine(Builder builder) {
        this.maxConcurrentTasks = builder.maxConcurrentTasks;
        this.totalTimeout = builder.totalTimeout;
        this.retryPolicy = builder.retryPolicy;
        this.pollSchedule = builder.pollSchedule;
        this.clock = builder.clock;
        this.sleeper = builder.sleeper;
        this.random = builder.random;

        Dispatcher dispatcher = new Dispatcher();
        // OkHttp's default of 5 per host would queue the sixth of six parallel tasks behind the others.
        dispatcher.setMaxRequests(256);
        dispatcher.setMaxRequestsPerHost(128);
        OkHttpClient.Builder common = builder.httpClient == null ? new OkHttpClient.Builder()
                : builder.httpClient.newBuilder();
        // Interceptors could log headers (the key) or retry behind our back; the engine runs with none.
        common.interceptors().clear();
        common.networkInterceptors().clear();
        OkHttpClient base = common
                .dispatcher(dispatcher)
                .connectTimeout(builder.connectTimeout)
                .readTimeout(builder.readTimeout)
                .writeTimeout(builder.readTimeout)
                .eventListenerFactory(call -> InFlightCalls.SEND_TRACKER)
                // Our retry policy is the only one: OkHttp's silent retries would re-send a paid submit.
                .retryOnConnectionFailure(false)
                .build();
        // Calls that carry the key never follow redirects: OkHttp strips only Authorization on a cross-host
        // redirect, not x-key.
        this.apiClient = base.newBuilder().followRedirects(false).build();
        // Each submit on a fresh connection: a pooled connection the server has quietly closed would turn a harmless
        // failure into an ambiguous, maybe-billed one.
        this.submitClient = apiClient.newBuilder().connectionPool(new ConnectionPool(0, 1, TimeUnit.SECONDS)).build();
        // Downloads carry no credential, so redirects are fine, but never from https down to http.
        this.downloadClient = base.newBuilder().followRedirects(true).followSslRedirects(false).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs {@code job} to the end and returns every task's outcome. Validation problems (the request against the
     * provider, the output names) throw {@link InvalidRequestException} before anything is sent.
     *
     * @throws GenerationAbortedException when the calling thread is interrupted; see the class comment
     */
    public GenerationResult run(GenerationJob job, ProgressListener listener) throws InterruptedException {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(job.request(), "request");
        Objects.requireNonNull(job.endpoint(), "endpoint");
        Objects.requireNonNull(job.apiKey(), "API key");
        Objects.requireNonNull(job.output(), "output plan");
        ProviderDialect dialect = job.endpoint().dialect();
        List<Violation> unsupported = dialect.unsupported(job.request());
        if (!unsupported.isEmpty()) {
            throw new InvalidRequestException(unsupported);
        }
        OutputWriter writer = new OutputWriter(job.output(), job.request(), dialect.id());
        try {
            writer.checkBeforeSubmit();
        } catch (IOException e) {
            throw new InvalidRequestException(new Violation("outputDirectory", String.valueOf(job.output().directory()),
                    "use a folder this build can create and write (" + e.getMessage() + ")"));
        }
        if (Thread.interrupted()) {
            throw new InterruptedException("aborted before the first submit");
        }
        GenerationJob staged;
        try {
            staged = InputUploads.stage(this, job);
        } catch (InputUploads.UploadFailed e) {
            return InputUploads.notSubmitted(job, writer, listener, e.getMessage());
        } catch (InterruptedException e) {
            throw new GenerationAbortedException(InputUploads.notSubmitted(job, writer, null,
                    "the build was aborted while the input images were uploaded"));
        }
        return new JobRun(this, staged, listener, writer).run();
    }

    @Override
    public void close() {
        apiClient.dispatcher().executorService().shutdown();
        apiClient.connectionPool().evictAll();
        submitClient.connectionPool().evictAll();
    }

    int maxConcurrentTasks() {
        return maxConcurrentTasks;
    }

    Duration totalTimeout() {
        return totalTimeout;
    }

    RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    PollSchedule pollSchedule() {
        return pollSchedule;
    }

    Clock clock() {
        return clock;
    }

    Sleeper sleeper() {
        return sleeper;
    }

    RandomGenerator random() {
        return random;
    }

    OkHttpClient apiClient() {
        return apiClient;
    }

    OkHttpClient submitClient() {
        return submitClient;
    }

    /**
     * The submit client for a provider that holds its answer on purpose for up to {@code hold} (Replicate's
     * {@code Prefer: wait}): it waits that much longer for the answer, so that a held answer is not mistaken for a
     * stalled, ambiguous submit.
     */
    OkHttpClient submitClient(Duration hold) {
        if (hold == null || hold.isZero() || hold.isNegative()) {
            return submitClient;
        }
        return submitClient.newBuilder().readTimeout(Duration.ofMillis(submitClient.readTimeoutMillis()).plus(hold))
                .build();
    }

    OkHttpClient downloadClient() {
        return downloadClient;
    }

    public static final class Builder {
        private int maxConcurrentTasks = DEFAULT_MAX_CONCURRENT_TASKS;
        private Duration totalTimeout = DEFAULT_TOTAL_TIMEOUT;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration readTimeout = DEFAULT_READ_TIMEOUT;
        private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
        private PollSchedule pollSchedule = AdaptivePollSchedule.DEFAULT;
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = Sleeper.SYSTEM;
        private RandomGenerator random = RandomGenerator.getDefault();
        private OkHttpClient httpClient;

        private Builder() {
        }

        /**
         * At most this many tasks of one run in flight at once (submitted and not yet finished at the provider; the
         * download no longer counts). Runs sharing an account share its limit: the caller throttles across runs.
         */
        public Builder maxConcurrentTasks(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxConcurrentTasks must be at least 1, not " + max);
            }
            this.maxConcurrentTasks = max;
            return this;
        }

        /** The whole job, from first submit to last download, must finish within this. */
        public Builder totalTimeout(Duration timeout) {
            this.totalTimeout = positive(timeout, "totalTimeout");
            return this;
        }

        /** How long opening a connection may take. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /** How long a read or write on an open connection may stall. */
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = positive(timeout, "readTimeout");
            return this;
        }

        public Builder retryPolicy(RetryPolicy policy) {
            this.retryPolicy = Objects.requireNonNull(policy);
            return this;
        }

        public Builder pollSchedule(PollSchedule schedule) {
            this.pollSchedule = Objects.requireNonNull(schedule);
            return this;
        }

        /** The time deadlines and timestamps are read from. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /** How the engine waits between polls and retries. */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper);
            return this;
        }

        /** The source of backoff jitter. */
        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random);
            return this;
        }

        /**
         * A client whose settings (proxy, TLS, DNS) the engine starts from. Its interceptors are dropped, its
         * dispatcher and timeouts replaced.
         */
        public Builder httpClient(OkHttpClient client) {
            this.httpClient = client;
            return this;
        }

        public GenerationEngine build() {
            return new GenerationEngine(this);
        }

        private static Duration positive(Duration d, String name) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return d;
        }
    }
}
