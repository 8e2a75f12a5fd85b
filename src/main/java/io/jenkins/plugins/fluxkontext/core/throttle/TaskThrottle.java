package io.jenkins.plugins.fluxkontext.core.throttle;

import io.jenkins.plugins.fluxkontext.core.provider.ApiKey;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ToIntFunction;

/**
 * At most a set number of tasks in flight per provider and API key, across every caller in this JVM (all builds on a
 * Jenkins controller). BFL allows 6 active kontext-max tasks per account and answers 429 beyond that; queueing here
 * instead lets builds wait their turn rather than fail or spin on retries.
 *
 * <p>Callers wait in arrival order: a slot that frees goes to the longest waiter, never to a caller that arrives
 * later. Waiting is interruptible (a Jenkins abort), and an interrupted caller leaves the queue holding nothing.
 *
 * <p>Two ways to hold slots, both free of deadlock because no caller waits while it holds slots it took in an earlier
 * call:
 * <ul>
 * <li>{@link #acquire(String, ApiKey, int, SlotWaitListener)} takes several slots in one go, for a controller that
 *     starts a whole request at once (on an agent) and runs that many of its tasks in parallel. The caller waits
 *     only until at least one slot is free and then takes as many free slots as it asked for, up to the limit.</li>
 * <li>{@link #slotsFor(String, ApiKey)} hands an engine one slot per task (see {@link TaskSlots}).</li>
 * </ul>
 *
 * <p>The API key is never stored: queues are keyed by a {@link ThrottleKey}, a keyed hash of provider and key.
 */
public final class TaskThrottle {

    /** BFL's limit of active tasks for flux-kontext-max. */
    public static final int DEFAULT_LIMIT = 6;

    private final ToIntFunction<String> limitForProvider;
    private final ThrottleKey.Minter minter = new ThrottleKey.Minter();
    /** One lock for all queues: callers hold slots for minutes, so contention on it is negligible. */
    private final ReentrantLock lock = new ReentrantLock();

    private final Map<ThrottleKey, Queue> queues = new HashMap<>();

    /** {@value #DEFAULT_LIMIT} tasks per provider and key. */
    public TaskThrottle() {
        this(provider -> DEFAULT_LIMIT);
    }

    /**
     * @param limitForProvider the number of tasks allowed in flight for a provider id, read on every acquire and
     *                         release so a configuration change applies to the next slot that frees (call
     *                         {@link #limitsChanged()} to apply a raised limit to waiting callers at once)
     */
    public TaskThrottle(ToIntFunction<String> limitForProvider) {
        this.limitForProvider = Objects.requireNonNull(limitForProvider, "limitForProvider");
    }

    /**
     * Takes between one and {@code wanted} slots for this provider and key, waiting in arrival order until at least
     * one is free. Tells {@code whileWaiting} once if it has to wait.
     *
     * @return the lease; {@link SlotLease#granted()} says how many tasks may run at once under it
     * @throws InterruptedException when interrupted before or while waiting; nothing is held then
     */
    public SlotLease acquire(String provider, ApiKey key, int wanted, SlotWaitListener whileWaiting)
            throws InterruptedException {
        Objects.requireNonNull(key, "key");
        return acquire(minter.mint(normalise(provider), key), wanted, whileWaiting);
    }

    /** One slot per call, for an engine that takes a slot as it starts each task. */
    public TaskSlots slotsFor(String provider, ApiKey key) {
        Objects.requireNonNull(key, "key");
        ThrottleKey id = minter.mint(normalise(provider), key);
        return whileWaiting -> acquire(id, 1, whileWaiting);
    }

    /** How busy this provider and key is. */
    public SlotUsage usage(String provider, ApiKey key) {
        ThrottleKey id = minter.mint(normalise(provider), key);
        lock.lock();
        try {
            Queue q = queues.get(id);
            return q == null
                    ? new SlotUsage(id.provider(), id.fingerprint(), 0, 0, limit(id.provider()))
                    : q.usage(limit(id.provider()));
        } finally {
            lock.unlock();
        }
    }

    /** Every provider and key with slots in use or callers waiting, sorted by provider. */
    public List<SlotUsage> usage() {
        lock.lock();
        try {
            List<SlotUsage> all = new ArrayList<>();
            for (Queue q : queues.values()) {
                all.add(q.usage(limit(q.id.provider())));
            }
            all.sort(Comparator.comparing(SlotUsage::provider).thenComparing(SlotUsage::key));
            return all;
        } finally {
            lock.unlock();
        }
    }

    /** Re-reads the limits and hands newly allowed slots to waiting callers. */
    public void limitsChanged() {
        lock.lock();
        try {
            for (Queue q : List.copyOf(queues.values())) {
                grantInOrder(q);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "TaskThrottle" + usage();
    }

    private SlotLease acquire(ThrottleKey id, int wanted, SlotWaitListener whileWaiting) throws InterruptedException {
        if (wanted < 1) {
            throw new IllegalArgumentException("slots wanted: " + wanted + " is not allowed; ask for 1 or more");
        }
        Objects.requireNonNull(whileWaiting, "whileWaiting");
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before taking a slot for " + id);
        }
        Waiter me;
        SlotWait wait;
        Queue q;
        lock.lock();
        try {
            int limit = limit(id.provider());
            q = queues.computeIfAbsent(id, Queue::new);
            if (q.waiting.isEmpty() && q.inUse < limit) {
                int granted = Math.min(wanted, limit - q.inUse);
                q.inUse += granted;
                return new Lease(q, granted);
            }
            me = new Waiter(wanted, lock.newCondition());
            wait = new SlotWait(q.inUse, limit, q.waiting.size());
            q.waiting.add(me);
        } finally {
            lock.unlock();
        }
        boolean holding = false;
        try {
            // Outside the lock: a slow log write must not hold up callers of other keys.
            whileWaiting.waiting(wait);
            lock.lock();
            try {
                while (me.granted == 0) {
                    me.wake.await();
                }
                holding = true;
                return new Lease(q, me.granted);
            } finally {
                lock.unlock();
            }
        } finally {
            if (!holding) {
                leave(q, me);
            }
        }
    }

    /** A waiter gives up (interrupted, or its listener failed): out of the queue, or give back what it was given. */
    private void leave(Queue q, Waiter w) {
        lock.lock();
        try {
            if (w.granted > 0) {
                q.inUse -= w.granted;
            } else {
                q.waiting.remove(w);
            }
            grantInOrder(q);
        } finally {
            lock.unlock();
        }
    }

    private void release(Queue q, int slots) {
        lock.lock();
        try {
            q.inUse -= slots;
            grantInOrder(q);
        } finally {
            lock.unlock();
        }
    }

    /** Hands free slots to waiters, oldest first; the oldest takes what it needs before the next gets any. */
    private void grantInOrder(Queue q) {
        int limit = limit(q.id.provider());
        while (!q.waiting.isEmpty() && q.inUse < limit) {
            Waiter head = q.waiting.poll();
            head.granted = Math.min(head.wanted, limit - q.inUse);
            q.inUse += head.granted;
            head.wake.signal();
        }
        if (q.inUse == 0 && q.waiting.isEmpty()) {
            // Nothing refers to an idle queue (every lease and waiter keeps it busy), so it can go: keys come and go.
            queues.remove(q.id);
        }
    }

    private int limit(String provider) {
        int limit = limitForProvider.applyAsInt(provider);
        if (limit < 1) {
            throw new IllegalStateException(
                    "tasks in flight for " + provider + ": " + limit + " is not allowed; use 1 or more");
        }
        return limit;
    }

    private static String normalise(String provider) {
        if (provider == null || provider.isBlank()) {
            throw new IllegalArgumentException("provider: no value is not allowed; give a provider id such as bfl");
        }
        return provider.strip().toLowerCase(Locale.ROOT);
    }

    /** The slots and the line of waiters for one provider and key. Guarded by {@link #lock}. */
    private static final class Queue {
        final ThrottleKey id;
        final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
        int inUse;

        Queue(ThrottleKey id) {
            this.id = id;
        }

        SlotUsage usage(int limit) {
            return new SlotUsage(id.provider(), id.fingerprint(), inUse, waiting.size(), limit);
        }
    }

    /** One queued caller. Guarded by {@link #lock}. */
    private static final class Waiter {
        final int wanted;
        final Condition wake;
        int granted;

        Waiter(int wanted, Condition wake) {
            this.wanted = wanted;
            this.wake = wake;
        }
    }

    private final class Lease implements SlotLease {
        private final Queue queue;
        private final int granted;
        private final AtomicBoolean closed = new AtomicBoolean();

        Lease(Queue queue, int granted) {
            this.queue = queue;
            this.granted = granted;
        }

        @Override
        public int granted() {
            return granted;
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                release(queue, granted);
            }
        }

        @Override
        public String toString() {
            return granted + (granted == 1 ? " slot of " : " slots of ") + queue.id;
        }
    }
}
