package io.jenkins.plugins.fluxkontext.core.budget;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/** Many callers let go at the same instant, for the races a spending limit must win. */
final class SimultaneousCallers {

    private SimultaneousCallers() {}

    /**
     * Runs {@code call} for callers 0 to {@code callers - 1}, each on its own thread, all released at once, and counts
     * the calls that were not refused with {@link SpendingRefusedException}.
     */
    static int allowed(int callers, IntConsumer call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Boolean>> allowed = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                int caller = i;
                allowed.add(pool.submit(() -> {
                    start.await();
                    try {
                        call.accept(caller);
                        return true;
                    } catch (SpendingRefusedException e) {
                        return false;
                    }
                }));
            }
            start.countDown();
            int count = 0;
            for (Future<Boolean> f : allowed) {
                count += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
            }
            return count;
        } finally {
            pool.shutdownNow();
        }
    }
}
