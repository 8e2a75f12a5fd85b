package io.jenkins.plugins.fluxkontext.core.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.fluxkontext.core.engine.GenerationEngine;
import io.jenkins.plugins.fluxkontext.core.engine.GenerationJob;
import io.jenkins.plugins.fluxkontext.core.engine.GenerationResult;
import io.jenkins.plugins.fluxkontext.core.log.ProgressLog;
import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
import io.jenkins.plugins.fluxkontext.core.output.OutputPlan;
import io.jenkins.plugins.fluxkontext.core.provider.ApiKey;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderEndpoint;
import io.jenkins.plugins.fluxkontext.core.provider.bfl.BflDialect;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;
import io.jenkins.plugins.fluxkontext.simulator.Fault;
import io.jenkins.plugins.fluxkontext.simulator.FluxKontextSimulator;
import io.jenkins.plugins.fluxkontext.simulator.LedgerSnapshot;
import io.jenkins.plugins.fluxkontext.simulator.SimulatorSettings;
import io.jenkins.plugins.fluxkontext.simulator.TaskReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every fault the simulator can inject, against its ledger of billed tasks: each ends in the outcome a user should
 * see, a submit is never sent again once it may have created a task, nothing is billed twice,
 * and no partial file stays behind. Real time and real sockets on loopback; tasks take 50 ms.
 */
class SimulatorLedgerTest {

    private static final String KEY = "bfl-sk-LEDGER-51d0a3";

    @TempDir
    Path out;

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        // fault,                  outcome,         submits, tasks created, billed, deadline (s)
        "FAIL,                     Failed,          1, 1, 1, 60",
        "MODERATE_REQUEST,         Moderated,       1, 1, 0, 60",
        "MODERATE_OUTPUT,          Moderated,       1, 1, 0, 60",
        "RATE_LIMIT,               Succeeded,       2, 1, 1, 60",
        "SERVER_ERROR_SUBMIT,      SubmitAmbiguous, 1, 0, 0, 60",
        "SERVER_ERROR_AFTER_SUBMIT,SubmitAmbiguous, 1, 1, 1, 60",
        "RESET_BEFORE_SUBMIT,      SubmitAmbiguous, 1, 0, 0, 60",
        "RESET_AFTER_SUBMIT,       SubmitAmbiguous, 1, 1, 1, 60",
        "SERVER_ERROR_POLL,        Succeeded,       1, 1, 1, 60",
        "SLOW_BODY,                Succeeded,       1, 1, 1, 60",
        // Every download breaks off, and a broken download is fetched again until the deadline: a short one.
        "TRUNCATED_BODY,           DownloadFailed,  1, 1, 1, 6",
        "EXPIRED_URL,              DownloadFailed,  1, 1, 1, 60",
        "WRONG_CONTENT_TYPE,       Succeeded,       1, 1, 1, 60",
        "HTML_RESULT,              DownloadFailed,  1, 1, 1, 60",
        "FORGET,                   NotFound,        1, 1, 1, 60",
    })
    void aFaultOnTheFirstSubmitEndsAsExpectedAndIsBilledAtMostOnce(
            Fault fault, String outcomeType, long submits, int tasksCreated, int billed, int deadlineSeconds)
            throws Exception {
        SimulatorSettings settings = SimulatorSettings.builder()
                .latency(Duration.ofMillis(50))
                .randomSeed(8)
                .faultPlan(n -> n == 1 ? Set.of(fault) : Set.of())
                .build();
        List<String> log = new ArrayList<>();
        try (FluxKontextSimulator sim = FluxKontextSimulator.start(settings);
                GenerationEngine engine = GenerationEngine.builder()
                        .totalTimeout(Duration.ofSeconds(deadlineSeconds))
                        .readTimeout(Duration.ofSeconds(10))
                        .build()) {
            GenerationJob job = new GenerationJob(
                    GenerationRequest.builder().prompt("A kite over dunes").build(),
                    new ProviderEndpoint(new BflDialect(), sim.baseUrl()),
                    ApiKey.of(KEY),
                    OutputPlan.into(out));
            ProgressLog progress = new ProgressLog(log::add, 1, out);

            GenerationResult result = engine.run(job, progress);
            progress.summary(result, Duration.ZERO);
            LedgerSnapshot ledger = everyTaskEnded(sim);

            TaskOutcome outcome = result.outcomes().get(0);
            assertThat(outcome.getClass().getSimpleName()).as(outcome.message()).isEqualTo(outcomeType);
            assertThat(ledger.submitsReceived())
                    .as("submits the provider received")
                    .isEqualTo(submits);
            assertThat(ledger.tasks()).as("tasks created").hasSize(tasksCreated);
            assertThat(ledger.billedCount()).as("tasks billed").isEqualTo(billed);
            assertThat(ledger.tasks())
                    .allSatisfy(t -> assertThat(ledger.timesBilled(t.taskId())).isLessThanOrEqualTo(1));
            assertThat(ledger.faultsApplied()).containsKey(fault);
            if (outcome.taskId() != null) {
                assertThat(ledger.task(outcome.taskId()))
                        .as("the task the user is told about")
                        .isNotNull();
            }
            try (Stream<Path> files = Files.walk(out)) {
                assertThat(files.map(Path::toString)).noneMatch(n -> n.endsWith(".part"));
            }
            assertThat(log).noneMatch(line -> line.contains(KEY));
        }
    }

    /** Ambiguous submits leave tasks running at the provider; the ledger is read once they have ended. */
    private static LedgerSnapshot everyTaskEnded(FluxKontextSimulator sim) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            LedgerSnapshot ledger = sim.ledger();
            if (ledger.tasks().stream().map(TaskReport::state).allMatch(s -> s.ended()) || System.nanoTime() > giveUp) {
                return ledger;
            }
            Thread.sleep(20);
        }
    }
}
