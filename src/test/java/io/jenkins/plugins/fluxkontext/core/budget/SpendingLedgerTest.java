package io.jenkins.plugins.fluxkontext.core.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.fluxkontext.core.engine.GenerationResult;
import io.jenkins.plugins.fluxkontext.core.model.KontextModel;
import io.jenkins.plugins.fluxkontext.core.task.Billing;
import io.jenkins.plugins.fluxkontext.core.task.Cost;
import io.jenkins.plugins.fluxkontext.core.task.TaskHandle;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpendingLedgerTest {

    private final SpentAmounts store = SpentAmounts.inMemory();
    private final SpendingLedger ledger = new SpendingLedger(store);
    private final SpendingScope build1 = new SpendingScope("marketing/banners", "1");
    private final SpendingScope build2 = new SpendingScope("marketing/banners", "2");
    private final PriceTable prices = PriceTable.published();

    private static BigDecimal usd(String amount) {
        return new BigDecimal(amount);
    }

    private static TaskHandle handle(int index) {
        return TaskHandle.of("bfl", "task-" + index, null, index, Instant.EPOCH);
    }

    private static TaskOutcome succeeded(int index, String reportedUsd) {
        return new TaskOutcome.Succeeded(
                index, handle(index), List.of(), 7L, reportedUsd == null ? null : Cost.reported(usd(reportedUsd)));
    }

    @Test
    void aRunningRequestCountsAtItsEstimateSoAParallelBranchCannotPassTheLimit() {
        SpendingLimits limits = new SpendingLimits(null, usd("0.40"), null);

        SpendingLedger.Reservation first = ledger.reserve(build1, prices.estimate("bfl", KontextModel.MAX, 3), limits);

        assertThat(ledger.spent(build1)).isEqualTo(new Spent(usd("0.24"), usd("0.24")));
        assertThatThrownBy(() -> ledger.reserve(build1, prices.estimate("bfl", KontextModel.MAX, 3), limits))
                .isInstanceOf(SpendingRefusedException.class)
                .hasMessageContaining(
                        "the build has spent $0.24 of its $0.40 limit (maxCostPerBuild), so $0.16 is left");
        first.close();
    }

    @Test
    void reportedCostsReplaceTheEstimateInTheTally() {
        SpendingLedger.Reservation r =
                ledger.reserve(build1, prices.estimate("bfl", KontextModel.MAX, 3), SpendingLimits.NONE);

        CostEstimate.Charge charge = r.settle(
                new GenerationResult(List.of(succeeded(1, "0.07"), succeeded(2, "0.07"), succeeded(3, "0.07")), null));

        assertThat(charge.cost()).isEqualTo(Cost.reported(usd("0.21")));
        assertThat(charge.display()).isEqualTo("$0.21 (reported by the provider)");
        assertThat(ledger.spent(build1).build()).isEqualByComparingTo("0.21");
        assertThat(store.byBuild(build1)).isEqualByComparingTo("0.21");
    }

    @Test
    void unreportedTasksCountByWhetherTheyWereBilled() {
        SpendingLedger.Reservation r =
                ledger.reserve(build1, prices.estimate("bfl", KontextModel.MAX, 5), SpendingLimits.NONE);

        CostEstimate.Charge charge = r.settle(new GenerationResult(
                List.of(
                        succeeded(1, "0.07"),
                        succeeded(2, null),
                        new TaskOutcome.Moderated(
                                3, handle(3), TaskOutcome.ModerationSide.REQUEST, List.of(), Billing.NOT_BILLED),
                        new TaskOutcome.Failed(4, handle(4), "E1", "boom", Billing.BILLED),
                        new TaskOutcome.SubmitAmbiguous(5, null, "read timed out")),
                null));

        assertThat(charge.cost().usd())
                .as("0.07 reported + 3 × 0.08 estimated; the moderated task is free")
                .isEqualByComparingTo("0.31");
        assertThat(charge.cost().source()).isEqualTo("mixed");
        assertThat(charge.display())
                .isEqualTo("$0.31 (partly reported by the provider, partly estimated from the price table)");
    }

    @Test
    void anUnknownPriceChargesOnlyWhatTheProviderReportedAndSaysWhatIsMissing() {
        SpendingLedger.Reservation r =
                ledger.reserve(build1, prices.estimate("toapis", KontextModel.MAX, 2), SpendingLimits.NONE);

        CostEstimate.Charge charge =
                r.settle(new GenerationResult(List.of(succeeded(1, "0.05"), succeeded(2, null)), null));

        assertThat(charge.display()).isEqualTo("$0.05 (reported by the provider) plus 1 task at an unknown price");
    }

    @Test
    void aReleasedRequestCostsNothingAndAnAbandonedOneCostsItsWholeEstimate() {
        SpendingLedger.Reservation released =
                ledger.reserve(build1, prices.estimate("bfl", KontextModel.MAX, 2), SpendingLimits.NONE);
        released.release();
        released.close();
        assertThat(ledger.spent(build1)).isEqualTo(Spent.NOTHING);

        try (SpendingLedger.Reservation abandoned =
                ledger.reserve(build1, prices.estimate("bfl", KontextModel.MAX, 2), SpendingLimits.NONE)) {
            assertThat(abandoned.estimate().images()).isEqualTo(2);
        }
        assertThat(store.byBuild(build1))
                .as("no result came back: assume every task was billed")
                .isEqualByComparingTo("0.16");
    }

    @Test
    void anAmountPricedOnAnotherMachineReplacesTheHeldEstimateInOneStep() {
        SpendingLimits limits = new SpendingLimits(null, usd("0.30"), null);
        SpendingLedger.Reservation r = ledger.reserve(build1, prices.estimate("bfl", KontextModel.MAX, 3), limits);

        r.settle(usd("0.16"));

        assertThat(ledger.spent(build1)).isEqualTo(new Spent(usd("0.16"), usd("0.16")));
        assertThat(store.byBuild(build1)).isEqualByComparingTo("0.16");
        assertThatThrownBy(() -> r.settle(usd("0.16"))).isInstanceOf(IllegalStateException.class);
        ledger.reserve(build1, prices.estimate("bfl", KontextModel.MAX, 1), limits)
                .release();
    }

    @Test
    void aReservationSettlesOnce() {
        SpendingLedger.Reservation r =
                ledger.reserve(build1, prices.estimate("bfl", KontextModel.MAX, 1), SpendingLimits.NONE);
        r.settle(new GenerationResult(List.of(succeeded(1, null)), null));
        r.close();

        assertThatThrownBy(() -> r.settle(new GenerationResult(List.of(succeeded(1, null)), null)))
                .isInstanceOf(IllegalStateException.class);
        assertThat(store.byBuild(build1)).isEqualByComparingTo("0.08");
    }

    @Test
    void theJobLimitCountsEveryBuildOfTheJobButNotOtherJobs() {
        SpendingLimits limits = new SpendingLimits(null, null, usd("0.20"));
        store.add(build1, usd("0.16"));
        store.add(new SpendingScope("other/job", "1"), usd("9"));

        assertThat(ledger.spent(build2)).isEqualTo(new Spent(BigDecimal.ZERO, usd("0.16")));
        assertThatThrownBy(() -> ledger.reserve(build2, prices.estimate("bfl", KontextModel.MAX, 1), limits))
                .hasMessageContaining("the job has spent $0.16 of its $0.20 limit (maxCostPerJob), so $0.04 is left");
        ledger.reserve(build2, prices.estimate("bfl", KontextModel.PRO, 1), limits)
                .close();
        assertThat(store.byJob("marketing/banners")).isEqualByComparingTo("0.20");
    }

    @Test
    void manyBuildsReservingAtOnceNeverPassTheJobLimit() throws Exception {
        SpendingLimits limits = new SpendingLimits(null, null, usd("1.00"));
        int allowed = SimultaneousCallers.allowed(
                40,
                i -> ledger.reserve(
                        new SpendingScope("marketing/banners", Integer.toString(i)),
                        prices.estimate("bfl", KontextModel.MAX, 1),
                        limits));

        assertThat(allowed)
                .as("$1.00 / $0.08 = 12.5, so exactly 12 requests fit")
                .isEqualTo(12);
        assertThat(ledger.spent(build1).job()).isEqualByComparingTo("0.96");
    }

    @Test
    void h03_aChargeBelowZeroNeverLowersWhatTheBuildAndTheJobHaveSpent() {
        SpendingLimits jobLimit = new SpendingLimits(null, null, usd("1.00"));
        ledger.reserve(build1, prices.estimate("bfl", KontextModel.MAX, 1), jobLimit)
                .settle(usd("-10000"));

        assertThat(ledger.spent(build1).build()).isEqualByComparingTo("0");
        assertThat(ledger.spent(build1).job()).isEqualByComparingTo("0");
        assertThatThrownBy(() -> ledger.reserve(build2, prices.estimate("bfl", KontextModel.MAX, 24), jobLimit))
                .as("$1.92 does not fit under a $1.00 job limit, whatever was reported before")
                .isInstanceOf(SpendingRefusedException.class);
    }

    @Test
    void h03_aNegativeReportedCostCountsAtTheTablePrice() {
        SpendingLedger.Reservation r =
                ledger.reserve(build1, prices.estimate("bfl", KontextModel.MAX, 1), SpendingLimits.NONE);

        CostEstimate.Charge charge = r.settle(new GenerationResult(List.of(succeeded(1, "-10000")), null));

        assertThat(charge.cost().usd()).isEqualByComparingTo("0.08");
        assertThat(ledger.spent(build1).build()).isEqualByComparingTo("0.08");
    }
}
