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

/**
 * The simulated provider account behind every dialect: the tasks, the active-task limit, the credit balance and
 * the ledger. Dialects translate HTTP to and from it; what a task does and what it costs is decided here once.
 */
final class TaskBoard implements AutoCloseable {

    /** What the account says to a submit. */
    sealed interface Admission {
        record Accepted(SimulatedTask task) implements Admission {
        }

        /** Over the active-task limit; {@code retryAfter} is when the earliest active task ends. */
        record RateLimited(int active, int limit, Duration retryAfter) implements Admission {
        }

        record OutOfCredits(BigDecimal balanceCredits, BigDecimal priceCredits) implements Admission {
        }
    }

    /** A submit as every dialect can describe it. {@code size} may be null to match the first input image. */
    record Order(String dialect, String model, String prompt, Long seed, FrameSize size, String format,
            List<BufferedImage> inputs, TaskScript script) {
    }

    private final SimulatorSettings settings;
    private final Random rng;
    private final Map<String, SimulatedTask> tasks = new ConcurrentHashMap<>();
    private final List<SimulatedTask> inSubmitOrder = new CopyOnWriteArrayList<>();
    private final Set<SimulatedTask> active = new HashSet<>();
    private final List<LedgerEntry> billed = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> forcedRateLimits = new ConcurrentHashMap<>();
    private final Map<Fault, AtomicLong> faultsApplied = new ConcurrentHashMap<>();
    private final AtomicLong submitsReceived = new AtomicLong();
    private final AtomicLong rateLimitedAnswers = new AtomicLong();
    private final ScheduledThreadPoolExecutor timer;
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
        return submitsReceived.incrementAndGet();
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

    void countRateLimited() {
        rateLimitedAnswers.incrementAndGet();
    }

    void applied(Fault fault) {
        faultsApplied.computeIfAbsent(fault, f -> new AtomicLong()).incrementAndGet();
    }

    /** Decides a submit: refuse it (limit, credits) or create the task and start its clock. */
    synchronized Admission admit(Order order) {
        Instant now = Instant.now();
        if (active.size() >= settings.activeTaskLimit()) {
            rateLimitedAnswers.incrementAndGet();
            Instant firstEnd = active.stream().map(t -> t.submittedAt.plus(t.latency)).min(Instant::compareTo).orElse(now);
            Duration wait = Duration.between(now, firstEnd);
            return new Admission.RateLimited(active.size(), settings.activeTaskLimit(), wait.isNegative() ? Duration.ZERO : wait);
        }
        BigDecimal price = settings.prices().credits(order.model());
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
            size = order.inputs().isEmpty() ? FrameSize.SQUARE
                    : FrameSize.matching(order.inputs().get(0).getWidth(), order.inputs().get(0).getHeight());
        }
        SimulatedTask task = new SimulatedTask(UUID.randomUUID().toString(), order.dialect(), order.model(),
                order.prompt(), seed, size, order.format(), order.inputs(), script, now, latency);
        tasks.put(task.id, task);
        inSubmitOrder.add(task);
        for (Fault f : List.of(Fault.FAIL, Fault.MODERATE_REQUEST, Fault.MODERATE_OUTPUT, Fault.FORGET)) {
            if (script.has(f)) {
                applied(f);
            }
        }
        if (script.has(Fault.MODERATE_REQUEST)) {
            // Refused before processing: never active, never billed.
            task.end(TaskState.REQUEST_MODERATED, now);
        } else {
            active.add(task);
            maxActive = Math.max(maxActive, active.size());
            timer.schedule(() -> end(task), latency.toNanos(), TimeUnit.NANOSECONDS);
        }
        return new Admission.Accepted(task);
    }

    private synchronized void end(SimulatedTask task) {
        TaskState ending = task.script.has(Fault.FAIL) ? TaskState.FAILED
                : task.script.has(Fault.MODERATE_OUTPUT) ? TaskState.CONTENT_MODERATED
                : TaskState.READY;
        Instant now = Instant.now();
        active.remove(task);
        if (ending.billed()) {
            BigDecimal usd = settings.prices().usd(task.model);
            creditsSpent = creditsSpent.add(settings.prices().credits(task.model));
            // The charge is recorded before the state flips, so a client that sees the end also finds the charge.
            billed.add(new LedgerEntry(task.id, task.dialect, task.model, task.promptExcerpt(), usd, ending, now));
        }
        task.end(ending, now);
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
        return new LedgerSnapshot(billed, reports, submitsReceived.get(), most, rateLimitedAnswers.get(), faults,
                creditsLeft());
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
