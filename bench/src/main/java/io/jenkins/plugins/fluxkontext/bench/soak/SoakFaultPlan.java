package io.jenkins.plugins.fluxkontext.bench.soak;

import io.jenkins.plugins.fluxkontext.simulator.Fault;
import io.jenkins.plugins.fluxkontext.simulator.FaultPlan;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The soak's faults: about {@code rate} of the submits get one fault, drawn from every fault the simulator knows;
 * a rate limit comes as a burst (the next {@code burst - 1} submits are refused too), as it does when many builds
 * hit a provider at once. Seeded, so two runs with the same seed and the same order of submits agree.
 */
final class SoakFaultPlan implements FaultPlan {

    static final List<Fault> FAULTS = List.of(Fault.values());

    private final double rate;
    private final int burst;
    private final Random random;
    private int burstLeft;
    private int planned;

    SoakFaultPlan(double rate, int burst, long seed) {
        this.rate = rate;
        this.burst = burst;
        this.random = new Random(seed);
    }

    @Override
    public synchronized Set<Fault> faultsFor(long submitNumber) {
        if (burstLeft > 0) {
            burstLeft--;
            planned++;
            return Set.of(Fault.RATE_LIMIT);
        }
        if (random.nextDouble() >= rate) {
            return Set.of();
        }
        Fault fault = FAULTS.get(random.nextInt(FAULTS.size()));
        if (fault == Fault.RATE_LIMIT) {
            burstLeft = burst - 1;
        }
        planned++;
        return Set.of(fault);
    }

    /** Submits that were given a fault so far. */
    synchronized int planned() {
        return planned;
    }
}
