package io.jenkins.plugins.fluxkontext.simulator;

import org.junit.jupiter.api.AfterEach;

/** A simulator of the test's own on a free loopback port, closed after the test. */
abstract class SimulatorStage {

    FluxKontextSimulator sim;

    /** Starts the test's simulator with {@code settings}, closing the one it had. */
    final FluxKontextSimulator startSimulator(SimulatorSettings.Builder settings) {
        stopSimulator();
        sim = FluxKontextSimulator.start(settings.build());
        return sim;
    }

    @AfterEach
    final void stopSimulator() {
        if (sim != null) {
            sim.close();
            sim = null;
        }
    }
}
