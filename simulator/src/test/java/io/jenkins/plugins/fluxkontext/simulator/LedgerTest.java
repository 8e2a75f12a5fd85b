package io.jenkins.plugins.fluxkontext.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LedgerTest {

    @Test
    void billsProcessedTasksOnceAtTheirEndAndNeverModeratedOnes() throws Exception {
        try (FluxKontextSimulator sim = FluxKontextSimulator.start(
                SimulatorSettings.builder().latency(Duration.ofMillis(200)).build())) {
            BflClient client = new BflClient(sim);
            Instant before = Instant.now();
            String ready = client.submitOk(Map.of("prompt", "a castle made of glass on a hill at sunrise, wide shot"));
            String failed = client.submitOk(Map.of("prompt", "broken [sim:fail]"));
            String moderatedIn = client.submitOk(Map.of("prompt", "no [sim:moderate-request]"));
            String moderatedOut = client.submitOk(Map.of("prompt", "no [sim:moderate-output]"));
            assertThat(sim.ledger().billed())
                    .as("nothing billed before a task ends")
                    .isEmpty();
            for (String url : new String[] {ready, failed, moderatedIn, moderatedOut}) {
                client.pollUntilEnded(url);
                client.pollUntilEnded(url);
            }

            LedgerSnapshot ledger = sim.ledger();

            assertThat(ledger.billed()).hasSize(2);
            LedgerEntry first = ledger.billed().stream()
                    .filter(e -> e.ending() == TaskState.READY)
                    .findFirst()
                    .orElseThrow();
            assertThat(first.model()).isEqualTo("flux-kontext-max");
            assertThat(first.usd()).isEqualByComparingTo("0.08");
            assertThat(first.promptExcerpt()).isEqualTo("a castle made of glass on a hill at sun…");
            assertThat(first.dialect()).isEqualTo("bfl");
            assertThat(first.billedAt()).isAfter(before.plusMillis(150));
            assertThat(ledger.timesBilled(first.taskId())).isEqualTo(1);
            assertThat(ledger.totalUsd()).isEqualByComparingTo("0.16");
            assertThat(ledger.tasks()).hasSize(4);
            assertThat(ledger.submitsReceived()).isEqualTo(4);
            assertThat(ledger.creditsLeft()).isEqualByComparingTo("9984");
            TaskReport report = ledger.task(first.taskId());
            assertThat(report.polls()).isGreaterThanOrEqualTo(2);
            assertThat(report.detectionLag()).isNotNull().isGreaterThanOrEqualTo(Duration.ZERO);

            String table = ledger.table();
            assertThat(table)
                    .contains(first.taskId())
                    .contains("0.08")
                    .contains("Would have billed: 2 task(s), $0.16")
                    .contains("not billed: 2 moderated");
        }
    }

    @Test
    void snapshotsDoNotChangeAfterTheyAreTaken() throws Exception {
        try (FluxKontextSimulator sim = FluxKontextSimulator.start(
                SimulatorSettings.builder().latency(Duration.ofMillis(50)).build())) {
            BflClient client = new BflClient(sim);
            LedgerSnapshot empty = sim.ledger();
            client.pollUntilEnded(client.submitOk(Map.of("prompt", "x")));
            assertThat(empty.billed()).isEmpty();
            assertThat(empty.submitsReceived()).isZero();
            assertThat(sim.ledger().billedCount()).isEqualTo(1);
        }
    }
}
