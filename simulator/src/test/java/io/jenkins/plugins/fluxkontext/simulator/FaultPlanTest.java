package io.jenkins.plugins.fluxkontext.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FaultPlanTest {

    @Test
    void randomPlanHitsAboutTheRequestedShareAndRepeatsWithTheSameSeed() {
        List<Set<Fault>> first = draw(FaultPlan.random(0.1, 99, Fault.FAIL, Fault.TRUNCATED_BODY), 2000);
        List<Set<Fault>> second = draw(FaultPlan.random(0.1, 99, Fault.FAIL, Fault.TRUNCATED_BODY), 2000);
        long hits = first.stream().filter(s -> !s.isEmpty()).count();
        assertThat(hits).isBetween(150L, 250L);
        assertThat(second).isEqualTo(first);
        assertThat(first).allSatisfy(s -> assertThat(s).isSubsetOf(Fault.FAIL, Fault.TRUNCATED_BODY));
    }

    private static List<Set<Fault>> draw(FaultPlan plan, int n) {
        List<Set<Fault>> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add(plan.faultsFor(i));
        }
        return out;
    }

    @Test
    void plannedFaultsApplyOnTopOfPromptWordsAndAreCounted() throws Exception {
        try (FluxKontextSimulator sim = FluxKontextSimulator.start(SimulatorSettings.builder()
                .latency(Duration.ofMillis(100))
                .faultPlan(FaultPlan.always(Fault.MODERATE_OUTPUT))
                .build())) {
            BflClient client = new BflClient(sim);
            assertThat(client.pollUntilEnded(client.submitOk(Map.of("prompt", "plain")))
                            .get("status")
                            .asText())
                    .isEqualTo("Content Moderated");
            assertThat(sim.ledger().faultsApplied()).containsEntry(Fault.MODERATE_OUTPUT, 1L);
        }
    }

    @Test
    void aPlanned429RefusesOnlyThatSubmit() throws Exception {
        FaultPlan firstOnly = n -> n == 1 ? Set.of(Fault.RATE_LIMIT) : Set.of();
        try (FluxKontextSimulator sim = FluxKontextSimulator.start(SimulatorSettings.builder()
                .latency(Duration.ofMillis(100))
                .faultPlan(firstOnly)
                .build())) {
            BflClient client = new BflClient(sim);
            assertThat(client.submit(Map.of("prompt", "same")).status()).isEqualTo(429);
            assertThat(client.submit(Map.of("prompt", "same")).status()).isEqualTo(200);
        }
    }

    @Test
    void latencyDistributionsStayWithinTheirBounds() {
        Random rng = new Random(1);
        LatencyDistribution uniform = LatencyDistribution.uniform(Duration.ofMillis(100), Duration.ofMillis(200));
        LatencyDistribution logNormal = LatencyDistribution.logNormal(Duration.ofSeconds(2), Duration.ofSeconds(5));
        List<Long> draws = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            assertThat(uniform.draw(rng).toMillis()).isBetween(100L, 200L);
            draws.add(logNormal.draw(rng).toMillis());
        }
        draws.sort(null);
        assertThat(draws.get(500)).isBetween(1700L, 2300L);
        assertThat(draws.get(950)).isBetween(4000L, 6000L);
        assertThat(draws.get(999)).isLessThanOrEqualTo(20_000L);
    }
}
