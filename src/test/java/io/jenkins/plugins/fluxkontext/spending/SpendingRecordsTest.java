package io.jenkins.plugins.fluxkontext.spending;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.thoughtworks.xstream.XStream;
import io.jenkins.plugins.fluxkontext.core.budget.CostEstimate;
import io.jenkins.plugins.fluxkontext.core.budget.MonthlyLimit;
import io.jenkins.plugins.fluxkontext.core.budget.MonthlySpending;
import io.jenkins.plugins.fluxkontext.core.budget.SpendingLedger;
import io.jenkins.plugins.fluxkontext.core.budget.SpendingLimits;
import io.jenkins.plugins.fluxkontext.core.budget.SpendingRefusedException;
import io.jenkins.plugins.fluxkontext.core.budget.SpendingScope;
import io.jenkins.plugins.fluxkontext.core.budget.UtcMonth;
import io.jenkins.plugins.fluxkontext.core.model.KontextModel;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The amounts the limits read: per job across restarts, per build from the build's own record. */
class SpendingRecordsTest {

    private final List<Map<String, String>> stored = new ArrayList<>();

    private static CostEstimate images(int n) {
        return new CostEstimate("bfl", KontextModel.MAX, n, new BigDecimal("0.08"));
    }

    @Test
    void aJobTotalIsStoredAfterEveryChargeAndReadBackAfterARestart() {
        SpendingRecords records = new SpendingRecords(Map.of(), stored::add);
        SpendingScope build1 = new SpendingScope("marketing/banners", "1");

        records.add(build1, new BigDecimal("0.16"));
        records.add(new SpendingScope("marketing/banners", "2"), new BigDecimal("0.08"));

        assertThat(stored).last().isEqualTo(Map.of("marketing/banners", "0.24"));
        SpendingRecords afterRestart = new SpendingRecords(stored.get(stored.size() - 1), stored::add);
        assertThat(afterRestart.byJob("marketing/banners")).isEqualByComparingTo("0.24");
        assertThat(afterRestart.byJob("other")).isEqualByComparingTo("0");
    }

    @Test
    void aBuildStartsFromWhatItsBuildPageRecordsAfterARestart() {
        SpendingRecords records = new SpendingRecords(Map.of("job", "0.80"), stored::add);
        SpendingScope build = new SpendingScope("job", "7");
        SpendingLedger ledger = new SpendingLedger(records);
        SpendingLimits limits = new SpendingLimits(null, new BigDecimal("1.00"), null);

        records.seedBuild(build, new BigDecimal("0.80"));

        assertThatThrownBy(() -> ledger.reserve(build, images(3), limits))
                .isInstanceOf(SpendingRefusedException.class)
                .hasMessageContaining("This request would cost $0.24")
                .hasMessageContaining("the build has spent $0.80 of its $1.00 limit (maxCostPerBuild)");
        ledger.reserve(build, images(2), limits).release();
    }

    @Test
    void aPerJobLimitCountsEveryBuildOfTheJob() {
        SpendingRecords records = new SpendingRecords(Map.of("job", "9.95"), stored::add);
        SpendingLedger ledger = new SpendingLedger(records);

        assertThatThrownBy(() -> ledger.reserve(
                        new SpendingScope("job", "12"),
                        images(1),
                        new SpendingLimits(null, null, new BigDecimal("10"))))
                .hasMessageContaining("the job has spent $9.95 of its $10.00 limit (maxCostPerJob)");
    }

    @Test
    void totalsFollowARenamedJobAndGoWithADeletedOne() {
        SpendingRecords records = new SpendingRecords(Map.of("old", "1.00", "gone", "2.00"), stored::add);

        records.jobRenamed("old", "folder/new");
        records.jobDeleted("gone");

        assertThat(records.jobTotals()).isEqualTo(Map.of("folder/new", "1.00"));
        assertThat(stored).last().isEqualTo(Map.of("folder/new", "1.00"));
    }

    /** Written as Jenkins' XmlFile writes it (XStream), and read back as a restarted controller reads it. */
    private static MonthlySpending afterRestart(MonthlySpending stored) {
        XStream xstream = new XStream();
        xstream.allowTypesByWildcard(new String[] {"io.jenkins.plugins.fluxkontext.**"});
        return (MonthlySpending) xstream.fromXML(xstream.toXML(stored));
    }

    @Test
    void whatFoldersSpentThisMonthSurvivesARestartAndStillHoldsTheirLimit() {
        List<MonthlySpending> written = new ArrayList<>();
        SpendingRecords before = new SpendingRecords(Map.of(), stored::add, new MonthlySpending(), written::add);
        SpendingLedger ledger = new SpendingLedger(before);
        List<MonthlyLimit> banners = List.of(MonthlyLimit.folder("marketing/banners", new BigDecimal("0.40")));
        ledger.reserve(
                        new SpendingScope("marketing/banners/poster", "1", "alice"),
                        images(4),
                        SpendingLimits.NONE,
                        banners)
                .settle(new BigDecimal("0.32"));

        SpendingRecords after = new SpendingRecords(
                stored.get(stored.size() - 1), stored::add, afterRestart(written.get(written.size() - 1)), m -> {});
        SpendingLedger restarted = new SpendingLedger(after);

        assertThatThrownBy(() -> restarted.reserve(
                        new SpendingScope("marketing/banners/poster", "2", "bob"),
                        images(2),
                        SpendingLimits.NONE,
                        banners))
                .isInstanceOf(SpendingRefusedException.class)
                .hasMessageContaining("folder marketing/banners has spent $0.32 of its $0.40 limit for")
                .hasMessageContaining("so $0.08 is left");
        assertThat(after.jobsIn(UtcMonth.of(Instant.now()), "marketing"))
                .singleElement()
                .satisfies(row -> {
                    assertThat(row.job()).isEqualTo("marketing/banners/poster");
                    assertThat(row.byStarter()).containsOnlyKeys("alice");
                });
    }

    @Test
    void aDeletedJobsSpendingStaysCountedForItsFolderAndIsStored() {
        List<MonthlySpending> written = new ArrayList<>();
        SpendingRecords records = new SpendingRecords(Map.of(), stored::add, new MonthlySpending(), written::add);
        records.add(new SpendingScope("marketing/old", "1"), UtcMonth.of(Instant.now()), new BigDecimal("0.24"));

        records.jobDeleted("marketing/old");
        records.jobDeleted("marketing/never-spent");

        assertThat(written)
                .as("stored after the charge and after the one deletion that changed something")
                .hasSize(2);
        assertThat(records.byJob("marketing/old")).isEqualByComparingTo("0");
        assertThat(afterRestart(written.get(1)).spent(UtcMonth.of(Instant.now()), "marketing"))
                .isEqualByComparingTo("0.24");
    }
}
