package io.jenkins.plugins.fluxkontext.core.throttle;

import static io.jenkins.plugins.fluxkontext.core.harness.ReachableSecrets.assertNoSecretReachable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.jenkins.plugins.fluxkontext.core.provider.ApiKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Real threads against one throttle. No assertion depends on timing: threads meet at latches, and every wait is
 * bounded so a broken throttle fails the test instead of hanging it.
 */
class TaskThrottleTest {

    private static final long BOUND = 30;

    private final ApiKey keyA = ApiKey.of("bfl-secret-key-AAAA-1234");
    private final ApiKey keyB = ApiKey.of("bfl-secret-key-BBBB-5678");
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() {
        pool.shutdownNow();
    }

    /** Starts a caller that waits for one slot; returns once it is queued (its listener has run). */
    private Future<SlotLease> queueCaller(TaskThrottle throttle, ApiKey key, List<SlotWait> waits) throws Exception {
        CountDownLatch queued = new CountDownLatch(1);
        Future<SlotLease> caller = pool.submit(() -> throttle.acquire("bfl", key, 1, wait -> {
            waits.add(wait);
            queued.countDown();
        }));
        assertThat(queued.await(BOUND, TimeUnit.SECONDS)).as("caller queued").isTrue();
        return caller;
    }

    private List<SlotLease> take(TaskThrottle throttle, ApiKey key, int n) throws InterruptedException {
        List<SlotLease> leases = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            leases.add(throttle.acquire("bfl", key, 1, wait -> fail("should not wait, but " + wait.line())));
        }
        return leases;
    }

    @Test
    void sixSlotsByDefaultAndTheSeventhCallerSaysItIsWaiting() throws Exception {
        TaskThrottle throttle = new TaskThrottle();
        List<SlotLease> six = take(throttle, keyA, 6);
        List<SlotWait> waits = new CopyOnWriteArrayList<>();

        Future<SlotLease> seventh = queueCaller(throttle, keyA, waits);

        assertThat(waits).extracting(SlotWait::line).containsExactly("waiting for a free slot: 6 of 6 in use");
        assertThat(throttle.usage("bfl", keyA))
                .extracting(SlotUsage::inUse, SlotUsage::waiting, SlotUsage::limit)
                .containsExactly(6, 1, 6);
        assertThat(seventh).isNotDone();

        six.get(0).close();
        try (SlotLease lease = seventh.get(BOUND, TimeUnit.SECONDS)) {
            assertThat(lease.granted()).isEqualTo(1);
        }
        six.forEach(SlotLease::close);
        assertThat(throttle.usage()).as("an idle key leaves nothing behind").isEmpty();
    }

    @Test
    void waitersAreServedInArrivalOrder() throws Exception {
        TaskThrottle throttle = new TaskThrottle(provider -> 1);
        SlotLease holder = take(throttle, keyA, 1).get(0);
        List<String> served = new CopyOnWriteArrayList<>();
        List<Future<?>> callers = new ArrayList<>();
        for (String name : List.of("first", "second", "third", "fourth")) {
            CountDownLatch queued = new CountDownLatch(1);
            callers.add(pool.submit(() -> {
                try (SlotLease lease = throttle.acquire("bfl", keyA, 1, wait -> queued.countDown())) {
                    served.add(name);
                }
                return null;
            }));
            // The next caller starts only once this one is in the queue, so arrival order is known.
            assertThat(queued.await(BOUND, TimeUnit.SECONDS)).isTrue();
        }

        holder.close();
        for (Future<?> caller : callers) {
            caller.get(BOUND, TimeUnit.SECONDS);
        }

        assertThat(served).containsExactly("first", "second", "third", "fourth");
    }

    @Test
    void aFreedSlotGoesToTheWaiterNotToACallerArrivingLater() throws Exception {
        TaskThrottle throttle = new TaskThrottle(provider -> 1);
        SlotLease holder = take(throttle, keyA, 1).get(0);
        List<SlotWait> waits = new CopyOnWriteArrayList<>();
        Future<SlotLease> waiter = queueCaller(throttle, keyA, waits);

        holder.close();

        // The slot was handed over inside close(), before the waiter even woke up: a newcomer has to queue.
        assertThat(throttle.usage("bfl", keyA))
                .extracting(SlotUsage::inUse, SlotUsage::waiting)
                .containsExactly(1, 0);
        Future<SlotLease> newcomer = queueCaller(throttle, keyA, waits);
        assertThat(waits.get(1).line()).isEqualTo("waiting for a free slot: 1 of 1 in use");
        waiter.get(BOUND, TimeUnit.SECONDS).close();
        newcomer.get(BOUND, TimeUnit.SECONDS).close();
    }

    @Test
    void anAbortedWaiterLeavesTheQueueHoldingNothing() throws Exception {
        TaskThrottle throttle = new TaskThrottle(provider -> 1);
        SlotLease holder = take(throttle, keyA, 1).get(0);
        List<SlotWait> waits = new CopyOnWriteArrayList<>();
        CountDownLatch queued = new CountDownLatch(1);
        AtomicInteger interruptedAt = new AtomicInteger();
        Future<?> aborted = pool.submit(() -> {
            try {
                throttle.acquire("bfl", keyA, 1, wait -> queued.countDown()).close();
            } catch (InterruptedException e) {
                interruptedAt.incrementAndGet();
            }
            return null;
        });
        assertThat(queued.await(BOUND, TimeUnit.SECONDS)).isTrue();
        Future<SlotLease> behind = queueCaller(throttle, keyA, waits);

        aborted.cancel(true); // interrupts the waiting thread, as a Jenkins abort does

        assertThat(awaitWaiting(throttle, 1))
                .as("the aborted caller left the queue")
                .isTrue();
        holder.close();
        try (SlotLease lease = behind.get(BOUND, TimeUnit.SECONDS)) {
            assertThat(lease.granted()).isEqualTo(1);
            assertThat(throttle.usage("bfl", keyA).inUse()).isEqualTo(1);
        }
        assertThat(throttle.usage()).isEmpty();
    }

    @Test
    void anInterruptedCallerGetsNoSlotEvenWhenOneIsFree() {
        TaskThrottle throttle = new TaskThrottle();
        Thread.currentThread().interrupt();

        assertThatThrownBy(() -> throttle.acquire("bfl", keyA, 1, SlotWaitListener.NONE))
                .isInstanceOf(InterruptedException.class)
                .hasMessage("interrupted before taking a slot for bfl key "
                        + throttle.usage("bfl", keyA).key());
        assertThat(throttle.usage()).isEmpty();
    }

    @Test
    void slotsComeBackWhenTheHolderFails() throws Exception {
        TaskThrottle throttle = new TaskThrottle(provider -> 2);

        assertThatThrownBy(() -> {
                    try (SlotLease lease = throttle.acquire("bfl", keyA, 2, SlotWaitListener.NONE)) {
                        assertThat(lease.granted()).isEqualTo(2);
                        throw new IllegalStateException("download failed");
                    }
                })
                .hasMessage("download failed");

        assertThat(throttle.usage()).isEmpty();
        SlotLease again = throttle.acquire("bfl", keyA, 2, SlotWaitListener.NONE);
        assertThat(again.granted()).isEqualTo(2);
        again.close();
        again.close(); // closing twice gives nothing back twice
        assertThat(throttle.usage()).isEmpty();
    }

    @Test
    void aListenerThatFailsGivesThePlaceInTheQueueBack() throws Exception {
        TaskThrottle throttle = new TaskThrottle(provider -> 1);
        SlotLease holder = take(throttle, keyA, 1).get(0);

        assertThatThrownBy(() -> throttle.acquire("bfl", keyA, 1, wait -> {
                    throw new IllegalStateException("log closed");
                }))
                .hasMessage("log closed");

        assertThat(throttle.usage("bfl", keyA).waiting()).isZero();
        holder.close();
        assertThat(throttle.usage()).isEmpty();
    }

    @Test
    void keysAndProvidersDoNotShareSlots() throws Exception {
        TaskThrottle throttle = new TaskThrottle();
        List<SlotLease> held = take(throttle, keyA, 6);

        // Another key on the same provider, and the same key on another provider, start at once.
        SlotLease otherKey = throttle.acquire("bfl", keyB, 6, wait -> fail("keyB waited: " + wait.line()));
        SlotLease otherProvider =
                throttle.acquire("cometapi", keyA, 6, wait -> fail("cometapi waited: " + wait.line()));

        assertThat(otherKey.granted()).isEqualTo(6);
        assertThat(otherProvider.granted()).isEqualTo(6);
        assertThat(throttle.usage())
                .extracting(SlotUsage::provider, SlotUsage::inUse)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("bfl", 6),
                        org.assertj.core.groups.Tuple.tuple("bfl", 6),
                        org.assertj.core.groups.Tuple.tuple("cometapi", 6));
        assertThat(throttle.usage("bfl", keyA).key())
                .isNotEqualTo(throttle.usage("bfl", keyB).key());
        held.forEach(SlotLease::close);
        otherKey.close();
        otherProvider.close();
    }

    @Test
    void theKeyIsNeitherStoredNorPrinted() throws Exception {
        TaskThrottle throttle = new TaskThrottle(provider -> 1);
        SlotLease held = throttle.acquire("bfl", keyA, 1, SlotWaitListener.NONE);
        List<SlotWait> waits = new CopyOnWriteArrayList<>();
        Future<SlotLease> waiting = queueCaller(throttle, keyA, waits);
        TaskSlots slots = throttle.slotsFor("bfl", keyB);

        for (Object reachable : List.of(throttle, held, slots)) {
            assertNoSecretReachable(reachable, keyA.reveal(), keyB.reveal());
        }
        String printed = throttle + " " + held + " " + throttle.usage() + " " + waits;
        assertThat(printed)
                .doesNotContain(keyA.reveal())
                .doesNotContain(keyB.reveal())
                .doesNotContain("AAAA");
        assertThat(held.toString()).matches("1 slot of bfl key [0-9a-f]{8}");

        held.close();
        waiting.get(BOUND, TimeUnit.SECONDS).close();
    }

    @Test
    void severalSlotsAtOnceTakeWhatIsFreeAndNeverDeadlock() throws Exception {
        TaskThrottle throttle = new TaskThrottle();
        SlotLease four = throttle.acquire("bfl", keyA, 4, SlotWaitListener.NONE);
        SlotLease rest = throttle.acquire("bfl", keyA, 4, SlotWaitListener.NONE);
        assertThat(four.granted()).isEqualTo(4);
        assertThat(rest.granted())
                .as("only two were free; the caller runs with two")
                .isEqualTo(2);
        assertThat(throttle.acquire("bfl", keyB, 24, SlotWaitListener.NONE).granted())
                .as("never more than the limit")
                .isEqualTo(6);

        List<SlotWait> waits = new CopyOnWriteArrayList<>();
        CountDownLatch queued = new CountDownLatch(1);
        Future<SlotLease> third = pool.submit(() -> throttle.acquire("bfl", keyA, 3, wait -> {
            waits.add(wait);
            queued.countDown();
        }));
        assertThat(queued.await(BOUND, TimeUnit.SECONDS)).isTrue();
        rest.close();
        try (SlotLease lease = third.get(BOUND, TimeUnit.SECONDS)) {
            assertThat(lease.granted()).isEqualTo(2);
        }
        four.close();
    }

    @Test
    void twoRequestsTakingOneSlotPerTaskBothFinish() throws Exception {
        // Each request has more tasks than the limit and holds slots while it asks for more: the shape that would
        // deadlock if a task waited for a second slot. Here each held slot belongs to a task that ends on its own.
        TaskThrottle throttle = new TaskThrottle(provider -> 3);
        int tasksPerRequest = 5;
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger mostInFlight = new AtomicInteger();
        CyclicBarrier bothRequestsStarted = new CyclicBarrier(2);
        List<Future<Integer>> requests = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            requests.add(pool.submit(() -> {
                TaskSlots slots = throttle.slotsFor("bfl", keyA);
                bothRequestsStarted.await(BOUND, TimeUnit.SECONDS);
                List<Future<?>> tasks = new ArrayList<>();
                for (int t = 0; t < tasksPerRequest; t++) {
                    SlotLease slot = slots.acquire(SlotWaitListener.NONE); // as the engine starts each task
                    tasks.add(pool.submit(() -> {
                        try (slot) {
                            int now = inFlight.incrementAndGet();
                            mostInFlight.accumulateAndGet(now, Math::max);
                            Thread.yield();
                            inFlight.decrementAndGet();
                        }
                        return null;
                    }));
                }
                for (Future<?> task : tasks) {
                    task.get(BOUND, TimeUnit.SECONDS);
                }
                return tasks.size();
            }));
        }

        for (Future<Integer> request : requests) {
            assertThat(request.get(BOUND, TimeUnit.SECONDS)).isEqualTo(tasksPerRequest);
        }
        assertThat(mostInFlight.get()).isBetween(1, 3);
        assertThat(throttle.usage()).isEmpty();
    }

    @Test
    void manyCallersNeverExceedTheLimit() throws Exception {
        TaskThrottle throttle = new TaskThrottle(provider -> 3);
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger mostInFlight = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> callers = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            callers.add(pool.submit(() -> {
                start.await();
                for (int round = 0; round < 20; round++) {
                    try (SlotLease lease = throttle.acquire("bfl", keyA, 1, SlotWaitListener.NONE)) {
                        mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                        Thread.yield();
                        inFlight.decrementAndGet();
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> caller : callers) {
            caller.get(BOUND, TimeUnit.SECONDS);
        }

        assertThat(mostInFlight.get()).isBetween(1, 3);
        assertThat(throttle.usage()).isEmpty();
    }

    @Test
    void aRaisedLimitLetsWaitersIn() throws Exception {
        AtomicInteger limit = new AtomicInteger(1);
        TaskThrottle throttle = new TaskThrottle(provider -> limit.get());
        SlotLease holder = take(throttle, keyA, 1).get(0);
        Future<SlotLease> waiter = queueCaller(throttle, keyA, new CopyOnWriteArrayList<>());

        limit.set(2);
        throttle.limitsChanged();

        waiter.get(BOUND, TimeUnit.SECONDS).close();
        holder.close();
    }

    @Test
    void badArgumentsAreNamed() {
        TaskThrottle throttle = new TaskThrottle(provider -> 0);
        assertThatThrownBy(() -> throttle.acquire("bfl", keyA, 1, SlotWaitListener.NONE))
                .hasMessage("tasks in flight for bfl: 0 is not allowed; use 1 or more");
        assertThatThrownBy(() -> new TaskThrottle().acquire("bfl", keyA, 0, SlotWaitListener.NONE))
                .hasMessage("slots wanted: 0 is not allowed; ask for 1 or more");
        assertThatThrownBy(() -> new TaskThrottle().acquire(" ", keyA, 1, SlotWaitListener.NONE))
                .hasMessage("provider: no value is not allowed; give a provider id such as bfl");
    }

    /** Polls (bounded) until the queue of keyA on bfl has {@code n} waiters. */
    private boolean awaitWaiting(TaskThrottle throttle, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND);
        while (System.nanoTime() < deadline) {
            if (throttle.usage("bfl", keyA).waiting() == n) {
                return true;
            }
            Thread.sleep(5);
        }
        return false;
    }
}
