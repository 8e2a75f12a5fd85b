package io.jenkins.plugins.fluxkontext.core.engine;

import java.time.Duration;
import java.util.Collection;

/**
 * How long a task is expected to take, as a log-normal distribution (the long right tail inference times have): the
 * mean and spread of the logarithm of its duration in milliseconds, fitted to past durations ({@link #fit}), starting
 * from a wide prior.
 *
 * @param logMedian the mean of ln(duration in ms); {@code exp(logMedian)} is the median
 * @param logSpread the standard deviation of ln(duration in ms)
 * @param samples   how many past durations went into it (0: the prior alone)
 */
public record ExpectedDuration(double logMedian, double logSpread, int samples) {

    /**
     * Before any task of a provider and model has been seen on this machine: a median of 8 s and a 95th percentile of
     * 30 s. FLUX.1 Kontext [max] typically takes 5 to 10 s at BFL; ToAPIs' docs say "Typical time: 5-30 seconds" for
     * its image tasks. Wide on purpose: it is replaced by what this machine sees.
     */
    public static final ExpectedDuration PRIOR = ofMedianAndP95(Duration.ofSeconds(8), Duration.ofSeconds(30));

    /** The prior counts as this many samples while there are few. */
    static final int PRIOR_WEIGHT = 5;
    /** From this many samples on, they alone describe the durations. */
    static final int ENOUGH_SAMPLES = 10;

    /** The narrowest spread a fit may have: durations never repeat to the millisecond. */
    private static final double MIN_SPREAD = 0.03;

    private static final double Z95 = 1.6448536269514722;

    public ExpectedDuration {
        if (!Double.isFinite(logMedian) || !Double.isFinite(logSpread) || logSpread < 0 || samples < 0) {
            throw new IllegalArgumentException("not a duration distribution: " + logMedian + ", " + logSpread);
        }
    }

    /** A log-normal distribution with this median and 95th percentile. */
    public static ExpectedDuration ofMedianAndP95(Duration median, Duration p95) {
        if (median.isNegative() || median.isZero() || p95.compareTo(median) < 0) {
            throw new IllegalArgumentException("need 0 < median <= p95");
        }
        double mu = Math.log(median.toMillis());
        return new ExpectedDuration(mu, (Math.log(p95.toMillis()) - mu) / Z95, 0);
    }

    /**
     * What {@code pastMillis} say: fewer than {@link #ENOUGH_SAMPLES}, the prior updated with them (means and squared
     * deviations pooled as if the prior were {@link #PRIOR_WEIGHT} samples at its median with its spread), so that a
     * handful of tasks cannot narrow it much; from then on the samples alone, since a prior that stays in the mix keeps
     * the spread as wide as its own long after the machine has shown how narrow it is.
     */
    public static ExpectedDuration fit(Collection<Long> pastMillis) {
        int n = 0;
        double sum = 0;
        for (long ms : pastMillis) {
            if (ms > 0) {
                sum += Math.log(ms);
                n++;
            }
        }
        if (n == 0) {
            return PRIOR;
        }
        double k = n >= ENOUGH_SAMPLES ? 0 : PRIOR_WEIGHT;
        double mu = (k * PRIOR.logMedian + sum) / (k + n);
        double squares = k * (PRIOR.logSpread * PRIOR.logSpread + Math.pow(PRIOR.logMedian - mu, 2));
        for (long ms : pastMillis) {
            if (ms > 0) {
                squares += Math.pow(Math.log(ms) - mu, 2);
            }
        }
        return new ExpectedDuration(mu, Math.max(MIN_SPREAD, Math.sqrt(squares / (k + n))), n);
    }

    public Duration median() {
        return Duration.ofMillis(Math.round(Math.exp(logMedian)));
    }

    /** The duration that this share of tasks (0 to 1, exclusive) takes at most, in milliseconds. */
    public double quantileMillis(double share) {
        return Math.exp(logMedian + logSpread * standardNormalQuantile(share));
    }

    /**
     * The inverse of the standard normal distribution (Acklam's rational approximation, relative error below
     * 1.2e-9), which the JDK lacks.
     */
    static double standardNormalQuantile(double p) {
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException("a share strictly between 0 and 1, not " + p);
        }
        double[] a = {
            -39.69683028665376,
            220.9460984245205,
            -275.9285104469687,
            138.3577518672690,
            -30.66479806614716,
            2.506628277459239
        };
        double[] b = {-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572};
        double[] c = {
            -0.007784894002430293,
            -0.3223964580411365,
            -2.400758277161838,
            -2.549732539343734,
            4.374664141464968,
            2.938163982698783
        };
        double[] d = {0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416};
        double low = 0.02425;
        if (p < low) {
            double q = Math.sqrt(-2 * Math.log(p));
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                    / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        if (p > 1 - low) {
            return -standardNormalQuantile(1 - p);
        }
        double q = p - 0.5;
        double r = q * q;
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5])
                * q
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    }
}
