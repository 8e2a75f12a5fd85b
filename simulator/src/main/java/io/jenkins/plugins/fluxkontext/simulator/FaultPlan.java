package io.jenkins.plugins.fluxkontext.simulator;

import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Faults chosen from code rather than from prompt words: consulted once for every submit the server receives.
 * Implementations are called from server threads and must be thread-safe. The result is added to whatever the
 * prompt's words ask for.
 */
@FunctionalInterface
public interface FaultPlan {

    /** No injected faults: only prompt words apply. */
    FaultPlan NONE = submitNumber -> Set.of();

    /**
     * The faults for the submit numbered {@code submitNumber} (1 for the first submit this server received).
     */
    Set<Fault> faultsFor(long submitNumber);

    /** Every submit gets these faults. */
    static FaultPlan always(Fault... faults) {
        Set<Fault> set = faults.length == 0 ? Set.of() : Set.copyOf(EnumSet.copyOf(List.of(faults)));
        return submitNumber -> set;
    }

    /**
     * With probability {@code probability} a submit gets one fault drawn uniformly from {@code among}; the draws
     * come from a {@link Random} seeded with {@code seed}, so a soak run with the same seed and the same order of
     * submits injects the same faults.
     */
    static FaultPlan random(double probability, long seed, Fault... among) {
        if (probability < 0 || probability > 1) {
            throw new IllegalArgumentException("probability must be within 0..1, was " + probability);
        }
        List<Fault> choices = List.of(among.length == 0 ? Fault.values() : among);
        Random rng = new Random(seed);
        return submitNumber -> {
            synchronized (rng) {
                if (rng.nextDouble() >= probability) {
                    return Set.of();
                }
                return Set.of(choices.get(rng.nextInt(choices.size())));
            }
        };
    }
}
