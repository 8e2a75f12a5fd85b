package io.jenkins.plugins.fluxkontext.bench.perf;

import io.jenkins.plugins.fluxkontext.simulator.LedgerSnapshot;
import io.jenkins.plugins.fluxkontext.simulator.TaskReport;
import java.time.Duration;
import java.util.List;

/**
 * Detection lag and polling cost of the tasks of one simulated account, as the provider saw them: from the moment a
 * task ended to the first status request that was answered with its end, and how many status requests it took.
 *
 * @param tasks   tasks that ended and were seen ending
 * @param p50     median lag
 * @param p95     95th percentile lag (nearest rank)
 * @param max     the longest lag
 * @param polls    status requests per task, on average
 * @param requests API requests per task, on average: submit, status requests, status streams, result fetches
 */
record Lags(int tasks, Duration p50, Duration p95, Duration max, double polls, double requests) {

    static Lags of(LedgerSnapshot ledger) {
        return of(ledger.tasks());
    }

    static Lags of(List<TaskReport> tasks) {
        List<TaskReport> seen =
                tasks.stream().filter(t -> t.detectionLag() != null).toList();
        List<Duration> lags =
                seen.stream().map(TaskReport::detectionLag).sorted().toList();
        double polls = seen.stream().mapToInt(TaskReport::polls).average().orElse(Double.NaN);
        double requests = seen.stream().mapToInt(TaskReport::requests).average().orElse(Double.NaN);
        return new Lags(
                lags.size(),
                rank(lags, 0.50),
                rank(lags, 0.95),
                lags.isEmpty() ? null : lags.getLast(),
                polls,
                requests);
    }

    /** Nearest-rank percentile: the smallest value with at least {@code share} of the sample at or below it. */
    static Duration rank(List<Duration> sorted, double share) {
        if (sorted.isEmpty()) {
            return null;
        }
        int rank = (int) Math.ceil(share * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }
}
