package io.jenkins.plugins.fluxkontext.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every dialect at once on one port: BFL at the root, each gateway under its id, one ledger per dialect. */
class DialectMountsTest extends SimulatorStage {

    @BeforeEach
    void start() {
        startSimulator(SimulatorSettings.builder()
                .latency(Duration.ofMillis(200))
                .activeTaskLimit(1)
                .randomSeed(3));
    }

    @Test
    void eachProviderHasItsBaseUrlAndTheWelcomeNamesThemAll() {
        assertThat(sim.providers())
                .containsExactly("bfl", "toapis", "vtrix", "cometapi", "fal", "runflow", "replicate");
        assertThat(sim.baseUrl("bfl")).isEqualTo(sim.baseUrl());
        assertThat(sim.baseUrl("fal").toString()).isEqualTo(sim.baseUrl() + "/fal");
        assertThatThrownBy(() -> sim.baseUrl("openai")).hasMessageContaining("toapis");
        String welcome = sim.welcome();
        for (String provider : sim.providers()) {
            assertThat(welcome)
                    .contains(provider)
                    .contains(sim.baseUrl(provider).toString());
        }
    }

    @Test
    void ledgersAndActiveTaskLimitsAreKeptPerDialect() throws Exception {
        GatewayClient toapis = new GatewayClient(sim, "toapis", "Bearer");
        GatewayClient replicate = new GatewayClient(sim, "replicate", "Bearer");
        assertThat(toapis.post("/v1/images/generations", Map.of("model", "flux-kontext-max", "prompt", "one"))
                        .status())
                .isEqualTo(200);
        // A second ToAPIs task is over the limit of 1; Replicate is another account and takes one.
        GatewayClient.Answer second =
                toapis.post("/v1/images/generations", Map.of("model", "flux-kontext-max", "prompt", "two"));
        assertThat(second.status()).isEqualTo(429);
        assertThat(second.headers().get("Retry-After")).isNotNull();
        assertThat(replicate
                        .post(
                                "/v1/models/black-forest-labs/flux-kontext-max/predictions",
                                Map.of("input", Map.of("prompt", "three")))
                        .status())
                .isEqualTo(201);

        Thread.sleep(600);
        assertThat(sim.ledger("toapis").billedCount()).isEqualTo(1);
        assertThat(sim.ledger("toapis").submitsReceived()).isEqualTo(2);
        assertThat(sim.ledger("toapis").rateLimitedAnswers()).isEqualTo(1);
        assertThat(sim.ledger("replicate").billed())
                .singleElement()
                .satisfies(e -> assertThat(e.dialect()).isEqualTo("replicate"));
        assertThat(sim.ledger("bfl").tasks()).isEmpty();
        assertThat(sim.ledger().billedCount()).isEqualTo(2);
        assertThat(sim.ledgersByProvider())
                .contains("== toapis")
                .contains("== replicate")
                .doesNotContain("== bfl")
                .contains("All providers would have billed 2 task(s)");
    }

    @Test
    void faultWordsWorkInEveryDialect() throws Exception {
        GatewayClient vtrix = new GatewayClient(sim, "vtrix", "Bearer");
        Map<String, Object> body = Map.of(
                "model", "flux_kontext_max", "input", List.of(Map.of("params", Map.of("prompt", "x [sim:429]"))));
        assertThat(vtrix.post("/model/v1/generation", body).status()).isEqualTo(429);
        assertThat(vtrix.post("/model/v1/generation", body).status()).isEqualTo(200);

        GatewayClient fal = new GatewayClient(sim, "fal", "Key");
        assertThat(fal.post("/fal-ai/flux-pro/kontext/max/text-to-image", Map.of("prompt", "x [sim:5xx-submit]"))
                        .status())
                .isEqualTo(500);
        assertThat(fal.post("/fal-ai/flux-pro/kontext/max/text-to-image", Map.of("prompt", "x [sim:nonsense]"))
                        .status())
                .isEqualTo(422);
        assertThat(sim.ledger("fal").tasks()).isEmpty();
        assertThat(sim.ledger("fal").faultsApplied()).containsEntry(Fault.SERVER_ERROR_SUBMIT, 1L);
        assertThat(sim.ledger("vtrix").faultsApplied()).containsEntry(Fault.RATE_LIMIT, 1L);
    }
}
