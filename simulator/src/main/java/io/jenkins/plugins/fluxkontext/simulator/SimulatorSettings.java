package io.jenkins.plugins.fluxkontext.simulator;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Set;

/**
 * How one simulator instance behaves. Immutable; {@link #builder()} starts from the defaults, which mimic BFL's
 * kontext-max: six active tasks per account, signed result URLs valid ten minutes, a few seconds per task.
 *
 * @param port              the loopback port; 0 picks a free one
 * @param acceptedKeys      the API keys accepted; empty accepts any non-blank key
 * @param activeTaskLimit   tasks submitted and not yet ended above which a submit answers 429
 * @param latency           how long a task runs when its prompt does not say
 * @param resultUrlLifetime how long a result URL stays valid after the task is Ready
 * @param faultPlan         faults injected from code, on top of prompt words
 * @param randomSeed        seeds the draws of latencies and of seeds for requests that give none
 * @param credits           the account balance in credits (1 credit = $0.01); a submit that cannot be paid for
 *                          answers 402
 * @param prices            what a task costs, by model
 * @param imagePaddingBytes at least this many bytes per image (padding in a metadata chunk) to test large downloads;
 *                          0 for plain images
 * @param reportsProgress   whether status answers carry the task's progress where the provider's API has a field for
 *                          it (BFL, ToAPIs, Vtrix); without it, only the status tells, as at fal or Replicate
 */
public record SimulatorSettings(
        int port,
        Set<String> acceptedKeys,
        int activeTaskLimit,
        LatencyDistribution latency,
        Duration resultUrlLifetime,
        FaultPlan faultPlan,
        long randomSeed,
        BigDecimal credits,
        PriceList prices,
        int imagePaddingBytes,
        boolean reportsProgress) {

    /** BFL's limit of active tasks for flux-kontext-max (help.bfl.ai, "What is the concurrency limit for the API"). */
    public static final int BFL_KONTEXT_MAX_ACTIVE_TASKS = 6;
    /** BFL's signed URLs are valid for ten minutes (BFL's quick start). */
    public static final Duration BFL_RESULT_URL_LIFETIME = Duration.ofMinutes(10);

    public SimulatorSettings {
        acceptedKeys = Set.copyOf(acceptedKeys);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        if (activeTaskLimit < 1) {
            throw new IllegalArgumentException("activeTaskLimit must be at least 1, was " + activeTaskLimit);
        }
    }

    public static SimulatorSettings defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.port = port;
        b.acceptedKeys = acceptedKeys;
        b.activeTaskLimit = activeTaskLimit;
        b.latency = latency;
        b.resultUrlLifetime = resultUrlLifetime;
        b.faultPlan = faultPlan;
        b.randomSeed = randomSeed;
        b.credits = credits;
        b.prices = prices;
        b.imagePaddingBytes = imagePaddingBytes;
        b.reportsProgress = reportsProgress;
        return b;
    }

    public static final class Builder {
        private int port;
        private Set<String> acceptedKeys = Set.of();
        private int activeTaskLimit = BFL_KONTEXT_MAX_ACTIVE_TASKS;
        private LatencyDistribution latency =
                LatencyDistribution.uniform(Duration.ofMillis(1500), Duration.ofMillis(3000));
        private Duration resultUrlLifetime = BFL_RESULT_URL_LIFETIME;
        private FaultPlan faultPlan = FaultPlan.NONE;
        private long randomSeed = System.nanoTime();
        private BigDecimal credits = new BigDecimal("10000");
        private PriceList prices = PriceList.BFL;
        private int imagePaddingBytes;
        private boolean reportsProgress = true;

        private Builder() {}

        public Builder port(int value) {
            port = value;
            return this;
        }

        /** Accept only these keys: others get 403, a missing one 401. */
        public Builder acceptedKeys(Set<String> value) {
            acceptedKeys = value;
            return this;
        }

        public Builder activeTaskLimit(int value) {
            activeTaskLimit = value;
            return this;
        }

        public Builder latency(LatencyDistribution value) {
            latency = value;
            return this;
        }

        /** Shorthand for {@link LatencyDistribution#fixed}. */
        public Builder latency(Duration value) {
            latency = LatencyDistribution.fixed(value);
            return this;
        }

        public Builder resultUrlLifetime(Duration value) {
            resultUrlLifetime = value;
            return this;
        }

        public Builder faultPlan(FaultPlan value) {
            faultPlan = value;
            return this;
        }

        public Builder randomSeed(long value) {
            randomSeed = value;
            return this;
        }

        public Builder credits(BigDecimal value) {
            credits = value;
            return this;
        }

        public Builder prices(PriceList value) {
            prices = value;
            return this;
        }

        public Builder imagePaddingBytes(int value) {
            imagePaddingBytes = value;
            return this;
        }

        /** {@code false}: status answers carry no progress (null where the field exists). */
        public Builder reportsProgress(boolean value) {
            reportsProgress = value;
            return this;
        }

        public SimulatorSettings build() {
            return new SimulatorSettings(
                    port,
                    acceptedKeys,
                    activeTaskLimit,
                    latency,
                    resultUrlLifetime,
                    faultPlan,
                    randomSeed,
                    credits,
                    prices,
                    imagePaddingBytes,
                    reportsProgress);
        }
    }
}
