package io.jenkins.plugins.fluxkontext.bench.perf;

import io.jenkins.plugins.fluxkontext.core.engine.GenerationJob;
import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
import io.jenkins.plugins.fluxkontext.core.output.OutputPlan;
import io.jenkins.plugins.fluxkontext.core.provider.ApiKey;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderEndpoint;
import io.jenkins.plugins.fluxkontext.core.provider.bfl.BflDialect;
import io.jenkins.plugins.fluxkontext.core.provider.catalog.Providers;
import io.jenkins.plugins.fluxkontext.simulator.FluxKontextSimulator;
import io.jenkins.plugins.fluxkontext.simulator.LedgerSnapshot;
import io.jenkins.plugins.fluxkontext.simulator.SimulatorSettings;
import io.jenkins.plugins.fluxkontext.simulator.TaskReport;
import java.nio.file.Path;
import java.util.Objects;

/** One simulated provider account on loopback (BFL unless said), and jobs for it whose images go under one folder. */
final class SimulatedAccount implements AutoCloseable {

    /** Any key works on the simulator; this one only names the account. */
    static final ApiKey KEY = ApiKey.of("bfl-sk-bench-0000");

    static final String PROMPT = "A lighthouse on a cliff at dusk, warm light in the windows";

    private final FluxKontextSimulator simulator;
    private final Path out;
    private final String provider;

    SimulatedAccount(SimulatorSettings settings, Path out) {
        this(settings, out, BflDialect.ID);
    }

    /** An account at {@code provider} (a provider id: {@code bfl}, {@code fal}, {@code replicate}, …). */
    SimulatedAccount(SimulatorSettings settings, Path out, String provider) {
        this.simulator = FluxKontextSimulator.start(settings);
        this.out = out;
        this.provider = provider;
    }

    FluxKontextSimulator simulator() {
        return simulator;
    }

    /** {@code images} images of the bench prompt into {@code out/name}, seeds from {@code seed} on. */
    GenerationJob job(String name, int images, long seed) {
        GenerationRequest request = GenerationRequest.builder()
                .prompt(PROMPT)
                .count(images)
                .seed(seed)
                .build();
        return new GenerationJob(
                request,
                new ProviderEndpoint(Providers.byId(provider), simulator.baseUrl(provider)),
                KEY,
                OutputPlan.into(out.resolve(name)));
    }

    /** The ledger once no task is running any more (a task is never left running by a finished job, but be sure). */
    LedgerSnapshot ledger() throws InterruptedException {
        for (int i = 0; i < 500 && simulator.activeTasks() > 0; i++) {
            Thread.sleep(10);
        }
        return simulator.ledger(provider);
    }

    static long seen(LedgerSnapshot ledger) {
        return ledger.tasks().stream()
                .map(TaskReport::detectionLag)
                .filter(Objects::nonNull)
                .count();
    }

    @Override
    public void close() {
        simulator.close();
    }
}
