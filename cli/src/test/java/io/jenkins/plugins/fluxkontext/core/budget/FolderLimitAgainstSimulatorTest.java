package io.jenkins.plugins.fluxkontext.core.budget;

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
import io.jenkins.plugins.fluxkontext.simulator.FluxKontextSimulator;
import io.jenkins.plugins.fluxkontext.simulator.LedgerSnapshot;
import io.jenkins.plugins.fluxkontext.simulator.SimulatorSettings;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real requests through the engine to the simulated provider, held to a folder's monthly limit by the ledger as the
 * plugin holds them: reserve, run, settle with what the provider reported. The simulator's ledger of billed tasks is
 * the proof that builds running at the same time never spend more than the folder may.
 */
class FolderLimitAgainstSimulatorTest {

    private static final String KEY = "bfl-sk-BUDGET-7c21e9";
    /** Five images at BFL's list price of $0.08 (the simulator bills the same). */
    private static final List<MonthlyLimit> MARKETING =
            List.of(MonthlyLimit.folder("marketing", new BigDecimal("0.40")));

    @TempDir
    Path out;

    private FluxKontextSimulator sim;
    private GenerationEngine engine;
    private final SpendingLedger ledger = new SpendingLedger(SpentAmounts.inMemory());
    private final PriceTable prices = PriceTable.published();

    @BeforeEach
    void start() throws Exception {
        sim = FluxKontextSimulator.start(SimulatorSettings.builder()
                .latency(Duration.ofMillis(50))
                .randomSeed(11)
                .build());
        engine = GenerationEngine.builder()
                .totalTimeout(Duration.ofMinutes(1))
                .readTimeout(Duration.ofSeconds(10))
                .build();
    }

    @AfterEach
    void stop() throws Exception {
        engine.close();
        sim.close();
    }

    /** One build's request, as the plugin makes it: nothing is sent unless the ledger allows it. */
    private boolean request(SpendingScope scope, int images) throws Exception {
        GenerationRequest request = GenerationRequest.builder()
                .prompt("A banner for " + scope.job())
                .count(images)
                .build();
        SpendingLedger.Reservation reservation;
        try {
            reservation = ledger.reserve(scope, prices.estimate("bfl", request), SpendingLimits.NONE, MARKETING);
        } catch (SpendingRefusedException refused) {
            return false;
        }
        try (reservation) {
            Path dir = out.resolve(scope.job().replace('/', '-') + "-" + scope.build());
            GenerationJob job = new GenerationJob(
                    request,
                    new ProviderEndpoint(new BflDialect(), sim.baseUrl()),
                    ApiKey.of(KEY),
                    OutputPlan.into(dir));
            GenerationResult result = engine.run(job, new ProgressLog(line -> {}, images, dir));
            reservation.settle(result);
        }
        return true;
    }

    @Test
    void twoBuildsAtOnceUnderOneFolderNeverSpendMoreThanItsLimit() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch go = new CountDownLatch(1);
        try {
            Future<Boolean> posters = pool.submit(() -> {
                go.await();
                return request(new SpendingScope("marketing/posters", "1", "alice"), 3);
            });
            Future<Boolean> banners = pool.submit(() -> {
                go.await();
                return request(new SpendingScope("marketing/banners", "1", "bob"), 3);
            });
            go.countDown();
            int allowed = (posters.get(60, TimeUnit.SECONDS) ? 1 : 0) + (banners.get(60, TimeUnit.SECONDS) ? 1 : 0);

            assertThat(allowed)
                    .as("3 + 3 images at $0.08 do not fit under $0.40; one build must be refused")
                    .isOne();
        } finally {
            pool.shutdownNow();
        }
        // What is left ($0.16) is exactly two more images, and no more.
        assertThat(request(new SpendingScope("marketing/banners", "2", "bob"), 3))
                .isFalse();
        assertThat(request(new SpendingScope("marketing/banners", "2", "bob"), 2))
                .isTrue();

        LedgerSnapshot billed = sim.ledger();
        assertThat(billed.billedCount()).isEqualTo(5);
        assertThat(billed.totalUsd()).isEqualByComparingTo("0.40");
        assertThat(ledger.spentInMonth(UtcMonth.of(Instant.now()), "marketing"))
                .as("the ledger's total is what the provider billed")
                .isEqualByComparingTo(billed.totalUsd());
    }

    @Test
    void manyRequestsAtOnceNeverMakeTheProviderBillMoreThanTheFolderMay() throws Exception {
        int builds = 12;
        ExecutorService pool = Executors.newFixedThreadPool(builds);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        try {
            for (int i = 0; i < builds; i++) {
                SpendingScope scope = new SpendingScope(i % 2 == 0 ? "marketing/posters" : "marketing/banners", "" + i);
                results.add(pool.submit(() -> {
                    go.await();
                    return request(scope, 1);
                }));
            }
            go.countDown();
            int allowed = 0;
            for (Future<Boolean> f : results) {
                allowed += f.get(60, TimeUnit.SECONDS) ? 1 : 0;
            }

            assertThat(allowed).isEqualTo(5);
        } finally {
            pool.shutdownNow();
        }
        LedgerSnapshot billed = sim.ledger();
        assertThat(billed.submitsReceived()).as("refused requests send nothing").isEqualTo(5);
        assertThat(billed.totalUsd()).isLessThanOrEqualTo(new BigDecimal("0.40"));
        assertThat(ledger.spentInMonth(UtcMonth.of(Instant.now()), "marketing"))
                .isEqualByComparingTo(billed.totalUsd());
    }
}
