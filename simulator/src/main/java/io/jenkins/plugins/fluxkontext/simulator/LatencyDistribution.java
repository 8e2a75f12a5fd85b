package io.jenkins.plugins.fluxkontext.simulator;

import java.time.Duration;
import java.util.Random;

/** How long a task takes from submit to its end, drawn per task. */
@FunctionalInterface
public interface LatencyDistribution {

    Duration draw(Random rng);

    static LatencyDistribution fixed(Duration latency) {
        requireNonNegative(latency);
        return rng -> latency;
    }

    /** Uniform between {@code min} and {@code max}. */
    static LatencyDistribution uniform(Duration min, Duration max) {
        requireNonNegative(min);
        if (max.compareTo(min) < 0) {
            throw new IllegalArgumentException("max " + max + " is below min " + min);
        }
        long span = max.toMillis() - min.toMillis();
        return rng -> min.plusMillis(span == 0 ? 0 : rng.nextLong(span + 1));
    }

    /**
     * Log-normal with the given median and 95th percentile: a long right tail, the shape real inference latencies
     * have. Draws are capped at four times the 95th percentile so a test never waits unboundedly.
     */
    static LatencyDistribution logNormal(Duration median, Duration p95) {
        if (median.isNegative() || median.isZero() || p95.compareTo(median) < 0) {
            throw new IllegalArgumentException("need 0 < median <= p95");
        }
        double mu = Math.log(median.toMillis());
        double sigma = (Math.log(p95.toMillis()) - mu) / 1.6448536269514722;
        long cap = p95.toMillis() * 4;
        return rng -> Duration.ofMillis(Math.min(cap, Math.round(Math.exp(mu + sigma * rng.nextGaussian()))));
    }

    private static void requireNonNegative(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative: " + d);
        }
    }
}
