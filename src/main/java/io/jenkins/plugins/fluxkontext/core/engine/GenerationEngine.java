package io.jenkins.plugins.fluxkontext.core.engine;

import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
import io.jenkins.plugins.fluxkontext.core.model.ImageRecipe;
import io.jenkins.plugins.fluxkontext.core.model.InvalidRequestException;
import io.jenkins.plugins.fluxkontext.core.model.Violation;
import io.jenkins.plugins.fluxkontext.core.output.OutputWriter;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderDialect;
import io.jenkins.plugins.fluxkontext.core.proxy.ProxyRoutes;
import io.jenkins.plugins.fluxkontext.core.proxy.ProxySettings;
import io.jenkins.plugins.fluxkontext.core.task.Billing;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;
import io.jenkins.plugins.fluxkontext.core.throttle.TaskSlots;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.random.RandomGenerator;
import okhttp3.OkHttpClient;

/**
 * Runs requests: submit each task once, poll it to the end, download its images as soon as it succeeds.
 * Thread-safe; one engine may run several jobs, and should be closed when done (it owns an HTTP client).
 *
 * <p>Interrupting the thread that called {@link #run} cancels every in-flight HTTP call of that job, stops polling at
 * once, leaves no partial file, then sends the provider's cancel for each task still running there (where the
 * provider has one: fal, Replicate; once each, within {@link Builder#cancelTimeout}), and throws
 * {@link GenerationAbortedException}, whose result lists each task's ending and so which task ids may still be billed.
 *
 * <p>A run that was cut short is taken up with {@link #resume}, which never submits. The handles it needs come from
 * {@link ProgressEvent.Submitted}, which the engine delivers for each task, on that task's thread, as soon as the
 * provider accepted it and before its first status request: a listener that stores the handle before returning has
 * it stored before anything else happens to the task. They also come back in every result
 * ({@link GenerationResult#handles()}), including an abort's.
 *
 * <p>Longer than most classes because its builder documents every public setting; the work is done by {@code JobRun}
 * and its steps.
 */
public final class GenerationEngine implements AutoCloseable {

    /** BFL's limit of tasks in flight for kontext-max. */
    public static final int DEFAULT_MAX_CONCURRENT_TASKS = 6;

    public static final Duration DEFAULT_TOTAL_TIMEOUT = Duration.ofMinutes(10);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(20);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);
    /** Short, so that an abort ends within a few seconds even when the provider does not answer the cancel. */
    public static final Duration DEFAULT_CANCEL_TIMEOUT = Duration.ofSeconds(3);

    private final int maxConcurrentTasks;
    private final Duration totalTimeout;
    private final Duration cancelTimeout;
    private final RetryPolicy retryPolicy;
    private final PollSchedule pollSchedule;
    private final TaskDurations taskDurations;
    private final TaskSlots taskSlots;
    private final Clock clock;
    private final Sleeper sleeper;
    private final RandomGenerator random;
    private final List<String> imageHostsBehindProxy;
    private final EngineClients clients;

    private GenerationEngine(Builder builder) {
        this.maxConcurrentTasks = builder.maxConcurrentTasks;
        this.totalTimeout = builder.totalTimeout;
        this.cancelTimeout = builder.cancelTimeout;
        this.retryPolicy = builder.retryPolicy;
        this.pollSchedule = builder.pollSchedule;
        this.taskDurations = builder.taskDurations;
        this.taskSlots = builder.taskSlots;
        this.clock = builder.clock;
        this.sleeper = builder.sleeper;
        this.random = builder.random;
        this.imageHostsBehindProxy = builder.imageHostsBehindProxy;

        // One decision for the proxy of every call: provider calls, uploads, cancels and image downloads alike.
        ProxyRoutes proxyRoutes = builder.proxy != null
                ? ProxyRoutes.through(builder.proxy)
                : builder.httpClient != null
                        ? ProxyRoutes.keeping(builder.httpClient)
                        : ProxyRoutes.forThisMachine(builder.environment, builder.jvmProperties);
        this.clients = new EngineClients(builder.httpClient, proxyRoutes, builder.connectTimeout, builder.readTimeout);
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
        requireComplete(job);
        ProviderDialect dialect = job.endpoint().dialect();
        List<Violation> unsupported = new ArrayList<>();
        for (GenerationRequest format : job.request().formats()) {
            dialect.unsupported(format).stream()
                    .filter(v -> !unsupported.contains(v))
                    .forEach(unsupported::add);
        }
        if (!unsupported.isEmpty()) {
            throw new InvalidRequestException(unsupported);
        }
        OutputWriter writer = outputFor(job, true);
        if (Thread.interrupted()) {
            throw new InterruptedException("aborted before the first submit");
        }
        // Taken before the input images are uploaded anywhere: a fingerprint holds their bytes, not their new URLs.
        List<ImageRecipe> recipes = recipes(job);
        GenerationJob staged;
        try {
            staged = InputUploads.stage(this, job);
        } catch (InputUploads.UploadFailed e) {
            return InputUploads.notSubmitted(job, writer, listener, e.getMessage());
        } catch (InterruptedException e) {
            throw new GenerationAbortedException(InputUploads.notSubmitted(
                    job, writer, null, "the build was aborted while the input images were uploaded"));
        }
        return new JobRun(this, staged, listener, writer, recipes, null).run();
    }

    /** The recipe of every image of {@code job}, by image index less one; their fingerprints decide reuse. */
    private static List<ImageRecipe> recipes(GenerationJob job) {
        return TaskPlan.recipesOf(job.request(), job.endpoint());
    }

    /**
     * Takes up a job whose run was cut short (a controller restart, an agent that went away, an abort) without
     * submitting anything: each task of {@code point}'s handles is polled again at the same provider, with the same
     * key, and its images are written under the names the original run would have given them (same indexes, same
     * seeds). Images the interrupted run already wrote, proven by their provenance sidecars (task id and SHA-256), are
     * taken as they are, without any request.
     *
     * <p>What the caller gets back, per task of the request:
     * <ul>
     * <li>the outcome of polling it to its end, as in {@link #run}: {@link TaskOutcome.Succeeded}, or
     * {@link TaskOutcome.Failed}, {@link TaskOutcome.Moderated}, {@link TaskOutcome.Cancelled} when it ended so at the
     * provider meanwhile;</li>
     * <li>{@link TaskOutcome.NotFound} with {@link Billing#BILLED} when its result expired meanwhile (BFL answers
     * {@code Task not found}, or its signed link answers 403, about 10 minutes after it finished): the images are
     * lost at the provider, the task was billed, and the message names the task id;</li>
     * <li>{@link TaskOutcome.TimedOut} when the deadline (from {@link ResumePoint#startedAt()}) passes first, also when
     * it had passed before the resume: then no request is sent at all;</li>
     * <li>for a task without a handle: {@link TaskOutcome.NotSubmitted} when {@link ResumePoint#neverSent()} names it,
     * else {@link TaskOutcome.SubmitAmbiguous} (it may have been on its way when the run was cut short). Neither is
     * submitted now: that could bill twice. The user runs the step again for those images.</li>
     * </ul>
     * Interrupting the calling thread aborts the resumed job exactly like {@link #run}.
     *
     * @param job   the original job: the same request, endpoint, key and output plan
     * @param point the handles saved from {@link ProgressEvent.Submitted} events or
     *              {@link GenerationResult#handles()}, and the original start
     * @throws IllegalArgumentException   when a handle is for another provider, an index outside the request, or
     *                                    the same index twice
     * @throws InvalidRequestException    when the output folder cannot be used
     * @throws GenerationAbortedException when the calling thread is interrupted
     */
    public GenerationResult resume(GenerationJob job, ResumePoint point, ProgressListener listener)
            throws InterruptedException {
        requireComplete(job);
        Objects.requireNonNull(point, "resume point");
        ProviderDialect dialect = job.endpoint().dialect();
        point.checkFits(dialect.id(), TaskPlan.of(job.request(), dialect).size());
        // Names are not checked: the interrupted run's own images may already stand under the planned names.
        OutputWriter writer = outputFor(job, false);
        if (Thread.interrupted()) {
            throw new InterruptedException("aborted before the resume");
        }
        return new JobRun(this, job, listener, writer, recipes(job), point).run();
    }

    /**
     * The writer of {@code job}'s images, with its folder made. {@code checkNames}: and every planned name checked
     * before anything is paid for ({@link OutputWriter#checkBeforeSubmit}).
     *
     * @throws InvalidRequestException when the folder cannot be used, or a name is taken
     */
    private static OutputWriter outputFor(GenerationJob job, boolean checkNames) {
        OutputWriter writer = new OutputWriter(
                job.output(), job.request(), job.endpoint().dialect().id());
        try {
            if (checkNames) {
                writer.checkBeforeSubmit();
            } else {
                writer.prepareDirectory();
            }
        } catch (IOException e) {
            throw new InvalidRequestException(new Violation(
                    "outputDirectory",
                    String.valueOf(job.output().directory()),
                    "use a folder that can be created and written (" + e.getMessage() + ")"));
        }
        return writer;
    }

    private static void requireComplete(GenerationJob job) {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(job.request(), "request");
        Objects.requireNonNull(job.endpoint(), "endpoint");
        Objects.requireNonNull(job.apiKey(), "API key");
        Objects.requireNonNull(job.output(), "output plan");
    }

    @Override
    public void close() {
        clients.close();
    }

    int maxConcurrentTasks() {
        return maxConcurrentTasks;
    }

    /** Where the calls go: the proxy, with the hosts it bypasses, or direct; never a password. For a log line. */
    public String proxyDescription() {
        return clients.proxyRoutes().toString();
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

    TaskDurations taskDurations() {
        return taskDurations;
    }

    TaskSlots taskSlots() {
        return taskSlots;
    }

    Duration cancelTimeout() {
        return cancelTimeout;
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

    EngineClients clients() {
        return clients;
    }

    List<String> imageHostsBehindProxy() {
        return imageHostsBehindProxy;
    }

    public static final class Builder {
        private int maxConcurrentTasks = DEFAULT_MAX_CONCURRENT_TASKS;
        private Duration totalTimeout = DEFAULT_TOTAL_TIMEOUT;
        private Duration cancelTimeout = DEFAULT_CANCEL_TIMEOUT;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration readTimeout = DEFAULT_READ_TIMEOUT;
        private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
        private PollSchedule pollSchedule = AdaptivePollSchedule.DEFAULT;
        private TaskDurations taskDurations = TaskDurations.inMemory();
        private TaskSlots taskSlots = TaskSlots.UNLIMITED;
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = Sleeper.SYSTEM;
        private RandomGenerator random = RandomGenerator.getDefault();
        private OkHttpClient httpClient;
        private ProxySettings proxy;
        private List<String> imageHostsBehindProxy = List.of();
        private Map<String, String> environment = System.getenv();
        private Properties jvmProperties = System.getProperties();

        private Builder() {}

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

        /**
         * On abort, how long the provider-side cancels of the tasks still running may take, all together. Each is
         * sent once and never retried: an abort must end quickly.
         */
        public Builder cancelTimeout(Duration timeout) {
            this.cancelTimeout = positive(timeout, "cancelTimeout");
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

        /**
         * Where past task durations come from and go to: what the poll schedule expects of a task whose provider
         * reports no progress. {@link TaskDurations#keptIn} a per-user or per-agent cache folder keeps them across
         * runs; the default keeps them for this engine's life only.
         */
        public Builder taskDurations(TaskDurations durations) {
            this.taskDurations = Objects.requireNonNull(durations);
            return this;
        }

        /**
         * Slots shared with other runs on the same provider account (e.g. {@code TaskThrottle.slotsFor(provider, key)}
         * for every build on a controller): each task takes one just before its submit, after its run's own
         * {@link #maxConcurrentTasks} allows it, and gives it back once the provider reports the task ended, before the
         * download, since the provider counts only running tasks. A resumed task takes none. Waiting for one is ended
         * by an interrupt, not by {@link #totalTimeout}; a task whose deadline passed meanwhile is not submitted.
         */
        public Builder taskSlots(TaskSlots slots) {
            this.taskSlots = Objects.requireNonNull(slots);
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
         * dispatcher and timeouts replaced; its proxy settings are kept unless {@link #proxy} is given.
         */
        public Builder httpClient(OkHttpClient client) {
            this.httpClient = client;
            return this;
        }

        /**
         * The HTTP proxy every call goes through (provider calls and image downloads alike), except calls to the
         * hosts it bypasses; it answers the proxy's authentication challenge with the user and password, and nobody
         * else ever receives them. Replaces the proxy settings of {@link #httpClient}.
         *
         * <p>Without it (and without {@link #httpClient}), the machine running the engine decides: the JVM's proxy
         * properties ({@code https.proxyHost}, {@code http.nonProxyHosts}, ...) when any is set, else its
         * environment's {@code https_proxy}, {@code http_proxy} and {@code no_proxy} (also upper case), else direct.
         * {@code null}: that default.
         */
        public Builder proxy(ProxySettings proxy) {
            this.proxy = proxy;
            return this;
        }

        /**
         * Image hosts an administrator allows to be fetched through a proxy although this machine cannot look them up
         * (so cannot check that they are not internal): host names ({@code cdn.example.com}) or domains
         * ({@code *.example.com}). Hosts in the provider's own domain are allowed without being named here; any other
         * result URL whose host cannot be checked is refused behind a proxy.
         */
        public Builder imageHostsBehindProxy(Collection<String> hosts) {
            this.imageHostsBehindProxy = List.copyOf(hosts);
            return this;
        }

        /** The environment variables the default proxy is read from (tests). */
        Builder environment(Map<String, String> environment) {
            this.environment = Objects.requireNonNull(environment);
            return this;
        }

        /** The JVM properties the default proxy is read from (tests). */
        Builder jvmProperties(Properties properties) {
            this.jvmProperties = Objects.requireNonNull(properties);
            return this;
        }

        /**
         * @throws IllegalArgumentException when no proxy is given and an environment variable names one that cannot be
         *                                  used (the message names the variable, never a password)
         */
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
