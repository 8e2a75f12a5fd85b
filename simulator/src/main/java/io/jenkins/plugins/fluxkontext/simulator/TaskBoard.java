package io.jenkins.plugins.fluxkontext.simulator;

import java.awt.image.BufferedImage;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The simulated provider account behind every dialect: the tasks, the active-task limit, the credit balance and
 * the ledger. Dialects translate HTTP to and from it; what a task does and what it costs is decided here once.
 */
final class TaskBoard implements AutoCloseable {

    /** What the account says to a submit. */
    sealed interface Admission {
        record Accepted(SimulatedTask task) implements Admission {}

        /** Over the active-task limit; {@code retryAfter} is when the earliest active task ends. */
        record RateLimited(int active, int limit, Duration retryAfter) implements Admission {}

        record OutOfCredits(BigDecimal balanceCredits, BigDecimal priceCredits) implements Admission {}
    }

    /**
     * A submit as every dialect can describe it. {@code size} may be null to match the first input image;
     * {@code images} is how many images the task makes (fal batches), {@code billing} which endings are charged.
     */
    record Order(
            String dialect,
            String model,
            String prompt,
            Long seed,
            FrameSize size,
            String format,
            List<BufferedImage> inputs,
            TaskScript script,
            int images,
            BillingRule billing) {}

    /** The counters of one dialect (one provider account's view), for {@link #snapshot(String)}. */
    private static final class DialectCounters {
        final AtomicLong submits = new AtomicLong();
        final AtomicLong rateLimited = new AtomicLong();
        final Map<Fault, AtomicLong> faults = new ConcurrentHashMap<>();
        int maxActive;
    }

    private final SimulatorSettings settings;
    private final Random rng;
    private final Map<String, SimulatedTask> tasks = new ConcurrentHashMap<>();
    private final List<SimulatedTask> inSubmitOrder = new CopyOnWriteArrayList<>();
    private final Set<SimulatedTask> active = new HashSet<>();
    private final List<LedgerEntry> billed = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> forcedRateLimits = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> rateLimitStorms = new ConcurrentHashMap<>();
    private final Map<Fault, AtomicLong> faultsApplied = new ConcurrentHashMap<>();
    private final AtomicLong submitsReceived = new AtomicLong();
    private final AtomicLong rateLimitedAnswers = new AtomicLong();
    private final ScheduledThreadPoolExecutor timer;
    private final Map<String, DialectCounters> perDialect = new ConcurrentHashMap<>();
    private BigDecimal creditsSpent = BigDecimal.ZERO;
    private int maxActive;

    TaskBoard(SimulatorSettings settings) {
        this.settings = settings;
        this.rng = new Random(settings.randomSeed());
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "flux-kontext-simulator-timer");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
    }

    SimulatorSettings settings() {
        return settings;
    }

    /** Counts a submit that reached a submit path and returns its number, from 1. */
    long receiveSubmit() {
        return receiveSubmit(BflDialect.ID);
    }

    /** Counts a submit to {@code dialect}; the number (from 1) runs across all dialects, as a fault plan counts. */
    long receiveSubmit(String dialect) {
        counters(dialect).submits.incrementAndGet();
        return submitsReceived.incrementAndGet();
    }

    private DialectCounters counters(String dialect) {
        return perDialect.computeIfAbsent(dialect, d -> new DialectCounters());
    }

    /** What the server's fault plan adds to the submit numbered {@code submitNumber}; asked once per submit. */
    Set<Fault> plannedFaults(long submitNumber) {
        Set<Fault> planned = settings.faultPlan().faultsFor(submitNumber);
        return planned == null ? Set.of() : planned;
    }

    /**
     * Whether this submit is one of the first {@code times} with {@code key} that must answer 429. Counted, so a
     * client that backs off and retries eventually gets through.
     */
    boolean takeForcedRateLimit(String key, int times) {
        return forcedRateLimits.computeIfAbsent(key, k -> new AtomicInteger()).getAndIncrement() < times;
    }

    /**
     * From now on the next {@code refusals} submits with {@code key} (one task's retries) answer 429; a storm already
     * started for the key goes on as it is.
     */
    void startRateLimitStorm(String key, int refusals) {
        rateLimitStorms.putIfAbsent(key, new AtomicInteger(refusals));
    }

    /** Whether this submit falls in a storm started for {@code key}; counts it down. */
    boolean inRateLimitStorm(String key) {
        AtomicInteger left = rateLimitStorms.get(key);
        return left != null && left.getAndDecrement() > 0;
    }

    void countRateLimited() {
        countRateLimited(BflDialect.ID);
    }

    void countRateLimited(String dialect) {
        counters(dialect).rateLimited.incrementAndGet();
        rateLimitedAnswers.incrementAndGet();
    }

    void applied(Fault fault) {
        applied(BflDialect.ID, fault);
    }

    void applied(String dialect, Fault fault) {
        counters(dialect).faults.computeIfAbsent(fault, f -> new AtomicLong()).incrementAndGet();
        faultsApplied.computeIfAbsent(fault, f -> new AtomicLong()).incrementAndGet();
    }

    /**
     * Decides a submit: refuse it (limit, credits) or create the task and start its clock. The active-task limit
     * holds per dialect (each provider is its own account); credits are one balance for the whole simulator.
     */
    synchronized Admission admit(Order order) {
        Instant now = Instant.now();
        List<SimulatedTask> activeHere =
                active.stream().filter(t -> t.dialect.equals(order.dialect())).toList();
        if (activeHere.size() >= settings.activeTaskLimit()) {
            countRateLimited(order.dialect());
            Instant firstEnd = activeHere.stream()
                    .map(t -> t.submittedAt.plus(t.latency))
                    .min(Instant::compareTo)
                    .orElse(now);
            Duration wait = Duration.between(now, firstEnd);
            return new Admission.RateLimited(
                    activeHere.size(), settings.activeTaskLimit(), wait.isNegative() ? Duration.ZERO : wait);
        }
        BigDecimal price = settings.prices().credits(order.model()).multiply(BigDecimal.valueOf(order.images()));
        BigDecimal balance = creditsLeft();
        if (balance.compareTo(price) < 0) {
            return new Admission.OutOfCredits(balance, price);
        }
        long seed;
        synchronized (rng) {
            seed = order.seed() != null ? order.seed() : rng.nextInt(Integer.MAX_VALUE);
        }
        TaskScript script = order.script();
        Duration latency;
        if (script.has(Fault.MODERATE_REQUEST)) {
            latency = Duration.ZERO;
        } else if (script.latency() != null) {
            latency = script.latency();
        } else {
            synchronized (rng) {
                latency = settings.latency().draw(rng);
            }
        }
        FrameSize size = order.size();
        if (size == null) {
            size = order.inputs().isEmpty()
                    ? FrameSize.SQUARE
                    : FrameSize.matching(
                            order.inputs().get(0).getWidth(),
                            order.inputs().get(0).getHeight());
        }
        SimulatedTask task = new SimulatedTask(
                UUID.randomUUID().toString(),
                order.dialect(),
                order.model(),
                order.prompt(),
                seed,
                size,
                order.format(),
                order.inputs(),
                script,
                now,
                latency,
                order.images(),
                order.billing());
        tasks.put(task.id, task);
        inSubmitOrder.add(task);
        for (Fault f : List.of(Fault.FAIL, Fault.MODERATE_REQUEST, Fault.MODERATE_OUTPUT, Fault.FORGET)) {
            if (script.has(f)) {
                applied(order.dialect(), f);
            }
        }
        if (script.has(Fault.MODERATE_REQUEST)) {
            // Refused before processing: never active, never billed.
            task.end(TaskState.REQUEST_MODERATED, now);
        } else {
            active.add(task);
            maxActive = Math.max(maxActive, active.size());
            DialectCounters counters = counters(order.dialect());
            counters.maxActive = Math.max(counters.maxActive, activeHere.size() + 1);
            task.scheduledEnd(timer.schedule(() -> end(task), latency.toNanos(), TimeUnit.NANOSECONDS));
        }
        return new Admission.Accepted(task);
    }

    private synchronized void end(SimulatedTask task) {
        if (task.state().ended()) {
            return;
        }
        TaskState ending = task.script.has(Fault.FAIL)
                ? TaskState.FAILED
                : task.script.has(Fault.MODERATE_OUTPUT) ? TaskState.CONTENT_MODERATED : TaskState.READY;
        Instant now = Instant.now();
        active.remove(task);
        if (task.billing.bills(ending)) {
            BigDecimal images = BigDecimal.valueOf(task.imageCount);
            BigDecimal usd = settings.prices().usd(task.model).multiply(images);
            creditsSpent =
                    creditsSpent.add(settings.prices().credits(task.model).multiply(images));
            // The charge is recorded before the state flips, so a client that sees the end also finds the charge.
            billed.add(new LedgerEntry(task.id, task.dialect, task.model, task.promptExcerpt(), usd, ending, now));
        }
        task.end(ending, now);
    }

    /**
     * Cancels a task that has not ended, if {@code allowed} says its provider still may (fal: only while queued).
     * Cancelled tasks are not billed. Returns whether the task is now cancelled by this call.
     */
    synchronized boolean cancel(SimulatedTask task, Predicate<SimulatedTask> allowed) {
        if (task.state().ended() || !allowed.test(task)) {
            return false;
        }
        if (task.scheduledEnd() != null) {
            task.scheduledEnd().cancel(false);
        }
        active.remove(task);
        task.end(TaskState.CANCELLED, Instant.now());
        return true;
    }

    SimulatedTask find(String id) {
        return id == null ? null : tasks.get(id);
    }

    synchronized int activeCount() {
        return active.size();
    }

    synchronized BigDecimal creditsLeft() {
        return settings.credits().subtract(creditsSpent);
    }

    /** The ledger of one dialect: its charges, its tasks and its counters (credits are shared). */
    LedgerSnapshot snapshot(String dialect) {
        List<TaskReport> reports = new ArrayList<>();
        for (SimulatedTask t : inSubmitOrder) {
            if (t.dialect.equals(dialect)) {
                reports.add(t.report());
            }
        }
        List<LedgerEntry> charges =
                billed.stream().filter(e -> e.dialect().equals(dialect)).toList();
        DialectCounters counters = counters(dialect);
        Map<Fault, Long> faults = new EnumMap<>(Fault.class);
        counters.faults.forEach((f, n) -> faults.put(f, n.get()));
        int most;
        synchronized (this) {
            most = counters.maxActive;
        }
        return new LedgerSnapshot(
                charges, reports, counters.submits.get(), most, counters.rateLimited.get(), faults, creditsLeft());
    }

    LedgerSnapshot snapshot() {
        List<TaskReport> reports = new ArrayList<>();
        for (SimulatedTask t : inSubmitOrder) {
            reports.add(t.report());
        }
        Map<Fault, Long> faults = new EnumMap<>(Fault.class);
        faultsApplied.forEach((f, n) -> faults.put(f, n.get()));
        int most;
        synchronized (this) {
            most = maxActive;
        }
        return new LedgerSnapshot(
                billed, reports, submitsReceived.get(), most, rateLimitedAnswers.get(), faults, creditsLeft());
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
