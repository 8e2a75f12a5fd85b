package io.jenkins.plugins.fluxkontext.core.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.fluxkontext.core.model.KontextModel;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The monthly limits of folders and of the controller, as the ledger holds requests to them. */
class MonthlyLimitsTest {

    /** A clock the test moves, to cross into the next month. */
    private static final class TestClock extends Clock {
        private volatile Instant now;

        TestClock(String instant) {
            now = Instant.parse(instant);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final TestClock clock = new TestClock("2026-08-20T10:00:00Z");
    private final SpentAmounts store = SpentAmounts.inMemory();
    private final SpendingLedger ledger = new SpendingLedger(store, clock);
    private final UtcMonth august = UtcMonth.parse("2026-08");

    private final SpendingScope poster = new SpendingScope("marketing/banners/poster", "7", "alice");
    private final SpendingScope flyer = new SpendingScope("marketing/print/flyer", "3", "Started by timer");

    private static BigDecimal usd(String amount) {
        return new BigDecimal(amount);
    }

    private static CostEstimate images(int n) {
        return PriceTable.published().estimate("bfl", KontextModel.MAX, n);
    }

    private static List<MonthlyLimit> path(String controller, String marketing, String banners) {
        List<MonthlyLimit> limits = new ArrayList<>();
        if (controller != null) {
            limits.add(MonthlyLimit.controller(usd(controller)));
        }
        if (marketing != null) {
            limits.add(MonthlyLimit.folder("marketing", usd(marketing)));
        }
        if (banners != null) {
            limits.add(MonthlyLimit.folder("marketing/banners", usd(banners)));
        }
        return limits;
    }

    @Test
    void aNestedFolderLimitRefusesWithItsNameWhatWasSpentAndWhatIsLeft() {
        store.add(poster, august, usd("0.32"));
        List<MonthlyLimit> limits = path("100", "10", "0.40");

        assertThatThrownBy(() -> ledger.reserve(poster, images(2), SpendingLimits.NONE, limits))
                .isInstanceOf(SpendingRefusedException.class)
                .hasMessage("This request would cost $0.16 (2 images × $0.08 = $0.16, flux-kontext-max on bfl);"
                        + " folder marketing/banners has spent $0.32 of its $0.40 limit for August 2026 in UTC"
                        + " (maxCostPerMonth), so $0.08 is left. Nothing was submitted."
                        + " Lower the count or raise maxCostPerMonth of folder marketing/banners.")
                .extracting(e -> ((SpendingRefusedException) e).refusal().fields())
                .isEqualTo(List.of("maxCostPerMonth of folder marketing/banners"));
        // Reaching the limit exactly is allowed.
        ledger.reserve(poster, images(1), SpendingLimits.NONE, limits).close();
        assertThat(ledger.spentInMonth(august, "marketing/banners")).isEqualByComparingTo("0.40");
    }

    @Test
    void anOuterFolderCountsWhatEveryFolderBelowItSpent() {
        store.add(flyer, august, usd("0.90"));

        assertThatThrownBy(() -> ledger.reserve(poster, images(2), SpendingLimits.NONE, path(null, "1.00", "5")))
                .hasMessageContaining("folder marketing has spent $0.90 of its $1.00 limit for August 2026 in UTC"
                        + " (maxCostPerMonth), so $0.10 is left")
                .hasMessageNotContaining("marketing/banners has spent");
    }

    @Test
    void theControllerLimitCountsEveryJobAndEveryLimitInTheWayIsNamed() {
        store.add(new SpendingScope("other/job", "1"), august, usd("4.96"));
        store.add(poster, august, usd("0.04"));

        assertThatThrownBy(() -> ledger.reserve(
                        poster, images(1), new SpendingLimits(null, null, usd("0.10")), path("5.00", null, "0.10")))
                .hasMessageContaining("the job has spent $0.04 of its $0.10 limit (maxCostPerJob), so $0.06 is left")
                .hasMessageContaining("the controller has spent $5.00 of its $5.00 limit for August 2026 in UTC"
                        + " (maxCostPerMonth), so nothing is left")
                .hasMessageContaining("folder marketing/banners has spent $0.04 of its $0.10 limit")
                .hasMessageEndingWith("Lower the count or raise maxCostPerJob and maxCostPerMonth of the controller"
                        + " and maxCostPerMonth of folder marketing/banners.");
    }

    @Test
    void aNewMonthStartsFromNothing() {
        ledger.reserve(poster, images(5), SpendingLimits.NONE, path(null, null, "0.40"))
                .close();
        assertThatThrownBy(() -> ledger.reserve(poster, images(1), SpendingLimits.NONE, path(null, null, "0.40")))
                .hasMessageContaining("spent $0.40 of its $0.40 limit for August 2026");

        clock.now = Instant.parse("2026-09-01T00:00:00Z");

        ledger.reserve(poster, images(5), SpendingLimits.NONE, path(null, null, "0.40"))
                .close();
        assertThat(ledger.spentInMonth(UtcMonth.parse("2026-09"), "marketing/banners"))
                .isEqualByComparingTo("0.40");
    }

    @Test
    void aRequestAllowedInOneMonthIsChargedToItEvenWhenItEndsInTheNext() {
        clock.now = Instant.parse("2026-08-31T23:59:30Z");
        SpendingLedger.Reservation lateInAugust =
                ledger.reserve(poster, images(2), SpendingLimits.NONE, path(null, null, "0.40"));
        clock.now = Instant.parse("2026-09-01T00:01:00Z");

        lateInAugust.settle(usd("0.16"));

        assertThat(ledger.spentInMonth(august, "marketing/banners")).isEqualByComparingTo("0.16");
        assertThat(ledger.spentInMonth(UtcMonth.parse("2026-09"), "marketing/banners"))
                .isEqualByComparingTo("0");
    }

    @Test
    void anUnknownPriceIsRefusedUnderAMonthlyLimitAndTheLimitIsNamed() {
        CostEstimate unknown = PriceTable.published().estimate("fal", KontextModel.MAX, 1);

        assertThatThrownBy(() -> ledger.reserve(poster, unknown, SpendingLimits.NONE, path("50", null, null)))
                .hasMessageStartingWith("The price of flux-kontext-max on fal is unknown, so this request (1 image)"
                        + " cannot be checked against maxCostPerMonth of the controller ($50.00).");
    }

    @Test
    void aLimitOfAFolderTheJobIsNotInDoesNotApply() {
        List<MonthlyLimit> elsewhere = List.of(MonthlyLimit.folder("marketing/print", BigDecimal.ZERO));

        ledger.reserve(poster, images(1), SpendingLimits.NONE, elsewhere).close();

        assertThatThrownBy(() -> ledger.reserve(flyer, images(1), SpendingLimits.NONE, elsewhere))
                .hasMessageContaining("folder marketing/print has spent $0.00 of its $0.00 limit");
        assertThat(MonthlyLimit.folder("market", BigDecimal.ONE).covers("marketing/banners/poster"))
                .isFalse();
    }

    @Test
    void manyBuildsOfSeveralJobsReservingAtOnceNeverPassTheFolderLimit() throws Exception {
        List<MonthlyLimit> limits = path(null, "1.00", null);
        int allowed = SimultaneousCallers.allowed(40, i -> {
            SpendingScope scope = i % 2 == 0
                    ? new SpendingScope("marketing/banners/poster", Integer.toString(i))
                    : new SpendingScope("marketing/print/flyer", Integer.toString(i));
            ledger.reserve(scope, images(1), SpendingLimits.NONE, limits).settle(usd("0.08"));
        });

        assertThat(allowed)
                .as("$1.00 / $0.08 = 12.5, so exactly 12 requests fit")
                .isEqualTo(12);
        assertThat(store.byMonth(august, "marketing")).isEqualByComparingTo("0.96");
    }

    @Test
    void aMonthlyLimitIsZeroOrMoreAndAFolderIsAFullName() {
        assertThatThrownBy(() -> MonthlyLimit.controller(usd("-1")))
                .hasMessageStartingWith("maxCostPerMonth: -1 is not allowed; use an amount in US dollars of 0 or more");
        assertThatThrownBy(() -> MonthlyLimit.folder("marketing/", usd("1")))
                .hasMessageStartingWith("folder: \"marketing/\" is not allowed");
    }
}
