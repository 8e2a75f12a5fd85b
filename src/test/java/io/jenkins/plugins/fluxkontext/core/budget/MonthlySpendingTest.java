package io.jenkins.plugins.fluxkontext.core.budget;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What each job spent per month, build by build and by who started it: what the tables and the limits read. */
class MonthlySpendingTest {

    private final MonthlySpending spending = new MonthlySpending();
    private final UtcMonth august = UtcMonth.parse("2026-08");

    private static BigDecimal usd(String amount) {
        return new BigDecimal(amount);
    }

    @Test
    void eachChargeIsKeptWithItsBuildAndWhoStartedIt() {
        spending.add(august, new SpendingScope("marketing/poster", "1", "alice"), usd("0.16"));
        spending.add(august, new SpendingScope("marketing/poster", "1", "alice"), usd("0.08"));
        spending.add(august, new SpendingScope("marketing/poster", "2", "Started by timer"), usd("0.08"));
        spending.add(august, new SpendingScope("sales/deck", "9", "bob"), usd("1.00"));

        assertThat(spending.jobs(august, "marketing"))
                .containsExactly(new MonthlySpending.JobSpending(
                        "marketing/poster",
                        false,
                        usd("0.32"),
                        3,
                        2,
                        Map.of("alice", usd("0.24"), "Started by timer", usd("0.08"))));
        assertThat(spending.spent(august, "marketing")).isEqualByComparingTo("0.32");
        assertThat(spending.spent(august, null)).isEqualByComparingTo("1.32");
        assertThat(spending.spent(august.next(), null)).isEqualByComparingTo("0");
    }

    @Test
    void aChargeOfNothingOrLessChangesNothing() {
        spending.add(august, new SpendingScope("job", "1"), usd("0"));
        spending.add(august, new SpendingScope("job", "1"), usd("-5"));

        assertThat(spending.jobs(august, null)).isEmpty();
    }

    @Test
    void aMovedFolderTakesItsJobsSpendingAlongAndADeletedJobStaysCounted() {
        spending.add(august, new SpendingScope("marketing/poster", "1", "alice"), usd("0.40"));
        spending.add(august, new SpendingScope("marketing/old", "1", "alice"), usd("0.10"));

        spending.itemDeleted("marketing/old");
        spending.itemRenamed("marketing", "brand/marketing");
        // Jenkins tells of each job below a moved folder as well; nothing is left to move.
        spending.itemRenamed("marketing/poster", "brand/marketing/poster");

        assertThat(spending.spent(august, "marketing")).isEqualByComparingTo("0");
        assertThat(spending.spent(august, "brand")).isEqualByComparingTo("0.50");
        assertThat(spending.jobs(august, "brand"))
                .extracting(MonthlySpending.JobSpending::job, MonthlySpending.JobSpending::deleted)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("brand/marketing/poster", false),
                        org.assertj.core.groups.Tuple.tuple("brand/marketing/old", true));
        // A new job of a deleted one's name starts from nothing.
        spending.add(august, new SpendingScope("brand/marketing/old", "1", "bob"), usd("0.08"));
        assertThat(spending.jobs(august, "brand/marketing/old")).isEmpty();
        assertThat(spending.jobs(august, "brand/marketing"))
                .extracting(MonthlySpending.JobSpending::usd)
                .containsExactly(usd("0.08"), usd("0.40"), usd("0.10"));
    }

    @Test
    void aRenameOntoAJobThatSpentAddsBothUp() {
        spending.add(august, new SpendingScope("a", "1", "alice"), usd("0.10"));
        spending.add(august, new SpendingScope("b", "1", "bob"), usd("0.20"));

        spending.itemRenamed("a", "b");

        assertThat(spending.jobs(august, null))
                .singleElement()
                .satisfies(row -> assertThat(row.usd()).isEqualByComparingTo("0.30"));
    }

    @Test
    void onlyThisMonthAndTheOneBeforeAreKept() {
        SpendingScope job = new SpendingScope("job", "1");
        spending.add(august.previous(), job, usd("1"));
        spending.add(august, job, usd("2"));
        spending.add(august.next(), job, usd("3"));

        assertThat(spending.spent(august.previous(), null)).isEqualByComparingTo("0");
        assertThat(spending.spent(august, null)).isEqualByComparingTo("2");
        assertThat(spending.spent(august.next(), null)).isEqualByComparingTo("3");
    }

    @Test
    void aCopySharesNothing() {
        SpendingScope job = new SpendingScope("job", "1");
        spending.add(august, job, usd("1"));

        MonthlySpending copy = spending.copy();
        spending.add(august, job, usd("1"));
        spending.itemDeleted("job");

        assertThat(copy.jobs(august, null)).singleElement().satisfies(row -> {
            assertThat(row.usd()).isEqualByComparingTo("1");
            assertThat(row.deleted()).isFalse();
        });
    }
}
