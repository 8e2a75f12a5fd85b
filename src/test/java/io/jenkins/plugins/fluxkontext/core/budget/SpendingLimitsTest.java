package io.jenkins.plugins.fluxkontext.core.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.fluxkontext.core.model.InvalidRequestException;
import io.jenkins.plugins.fluxkontext.core.model.KontextModel;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class SpendingLimitsTest {

    private final CostEstimate threeMax = PriceTable.published().estimate("bfl", KontextModel.MAX, 3);
    private final CostEstimate unpriced = PriceTable.published().estimate("toapis", KontextModel.MAX, 3);

    private static BigDecimal usd(String amount) {
        return new BigDecimal(amount);
    }

    @Test
    void withoutLimitsEverythingIsAllowedEvenAnUnknownPrice() {
        assertThat(SpendingLimits.NONE
                        .check(threeMax, new Spent(usd("100"), usd("1000")))
                        .allowed())
                .isTrue();
        assertThat(SpendingLimits.NONE.check(unpriced, Spent.NOTHING).allowed()).isTrue();
    }

    @Test
    void aBuildOverItsLimitIsRefusedWithTheNumbers() {
        SpendingLimits limits = new SpendingLimits(null, usd("1.00"), null);

        LimitDecision decision = limits.check(threeMax, new Spent(usd("0.80"), usd("0.80")));

        assertThat(decision).isInstanceOf(LimitDecision.Refused.class);
        LimitDecision.Refused refused = (LimitDecision.Refused) decision;
        assertThat(refused.fields()).containsExactly("maxCostPerBuild");
        assertThat(refused.message())
                .isEqualTo("This request would cost $0.24 (3 images × $0.08 = $0.24,"
                        + " flux-kontext-max on bfl); the build has spent $0.80 of its $1.00 limit (maxCostPerBuild),"
                        + " so $0.20 is left. Nothing was submitted. Lower the count or raise maxCostPerBuild.");
    }

    @Test
    void reachingALimitExactlyIsAllowedAndOneCentMoreIsNot() {
        SpendingLimits limits = new SpendingLimits(usd("0.24"), usd("1.00"), usd("5"));

        assertThat(limits.check(threeMax, new Spent(usd("0.76"), usd("4.76"))).allowed())
                .isTrue();
        assertThat(limits.check(threeMax, new Spent(usd("0.77"), usd("0.77"))).allowed())
                .isFalse();
        assertThat(limits.check(threeMax, new Spent(usd("0"), usd("4.77"))).allowed())
                .isFalse();
        assertThat(new SpendingLimits(usd("0.23"), null, null)
                        .check(threeMax, Spent.NOTHING)
                        .allowed())
                .isFalse();
    }

    @Test
    void theStepLimitAloneSaysTheRequestIsMoreThanTheStepAllows() {
        LimitDecision.Refused refused =
                (LimitDecision.Refused) new SpendingLimits(usd("0.20"), null, null).check(threeMax, Spent.NOTHING);

        assertThat(refused.message())
                .isEqualTo("This request would cost $0.24 (3 images × $0.08 = $0.24,"
                        + " flux-kontext-max on bfl); that is more than this step's limit of $0.20 (maxCost)."
                        + " Nothing was submitted. Lower the count or raise maxCost.");
    }

    @Test
    void everyLimitInTheWayIsNamedAndAnOverspentOneHasNothingLeft() {
        SpendingLimits limits = new SpendingLimits(null, usd("1"), usd("5"));

        LimitDecision.Refused refused =
                (LimitDecision.Refused) limits.check(threeMax, new Spent(usd("0.9"), usd("5.10")));

        assertThat(refused.fields()).containsExactly("maxCostPerBuild", "maxCostPerJob");
        assertThat(refused.message())
                .contains("the build has spent $0.90 of its $1.00 limit (maxCostPerBuild), so $0.10 is left;"
                        + " the job has spent $5.10 of its $5.00 limit (maxCostPerJob), so nothing is left.")
                .endsWith("Lower the count or raise maxCostPerBuild and maxCostPerJob.");
    }

    @Test
    void anUnknownPriceUnderALimitIsRefusedAndSaysHowToFixIt() {
        SpendingLimits limits = new SpendingLimits(usd("0.50"), usd("1"), null);

        LimitDecision.Refused refused = (LimitDecision.Refused) limits.check(unpriced, Spent.NOTHING);

        assertThat(refused.fields()).containsExactly("maxCost", "maxCostPerBuild");
        assertThat(refused.message())
                .isEqualTo("The price of flux-kontext-max on toapis is unknown, so this request"
                        + " (3 images) cannot be checked against maxCost ($0.50) and maxCostPerBuild ($1.00). Nothing was"
                        + " submitted. Add a line \"toapis flux-kontext-max <US dollars per image>\" to the price table,"
                        + " or remove the limit.");
    }

    @Test
    void limitsAsTypedAreReadAndBadOnesNamed() {
        assertThat(SpendingLimits.parse("$0.50", " ", "10"))
                .isEqualTo(new SpendingLimits(usd("0.50"), null, usd("10")));
        assertThatThrownBy(() -> SpendingLimits.parse("cheap", "1", "-5"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("maxCost: \"cheap\" is not allowed")
                .hasMessageContaining("maxCostPerJob: \"-5\" is not allowed");
        assertThatThrownBy(() -> new SpendingLimits(usd("-0.01"), null, null))
                .hasMessageContaining("maxCost: \"-0.01\" is not allowed; use an amount in US dollars of 0 or more");
    }
}
