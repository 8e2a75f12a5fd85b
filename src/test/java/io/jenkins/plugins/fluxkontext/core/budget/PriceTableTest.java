package io.jenkins.plugins.fluxkontext.core.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
import io.jenkins.plugins.fluxkontext.core.model.InvalidRequestException;
import io.jenkins.plugins.fluxkontext.core.model.KontextModel;
import io.jenkins.plugins.fluxkontext.core.model.Violation;
import io.jenkins.plugins.fluxkontext.core.task.Cost;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class PriceTableTest {

    private static final List<String> PROVIDERS = List.of("bfl", "toapis", "fal");

    @Test
    void thePublishedTableHasBflListPricesAndNothingForGateways() {
        PriceTable table = PriceTable.published();

        assertThat(table.pricePerImage("bfl", KontextModel.MAX)).contains(new BigDecimal("0.08"));
        assertThat(table.pricePerImage("BFL ", KontextModel.PRO)).contains(new BigDecimal("0.04"));
        assertThat(table.pricePerImage("toapis", KontextModel.MAX)).isEmpty();
        assertThat(table.pricePerImage(null, KontextModel.MAX))
                .as("blank means the default provider, bfl")
                .contains(new BigDecimal("0.08"));
    }

    @Test
    void anEstimateIsImagesTimesThePriceWithTheNumbersShown() {
        GenerationRequest request =
                GenerationRequest.builder().prompt("a poster").count(3).build();

        CostEstimate max = PriceTable.published().estimate("bfl", request);
        CostEstimate pro = PriceTable.published()
                .estimate(
                        "bfl",
                        request.toBuilder().model(KontextModel.PRO).count(1).build());

        assertThat(max.display()).isEqualTo("3 images × $0.08 = $0.24");
        assertThat(max.cost()).contains(Cost.estimated(new BigDecimal("0.24")));
        assertThat(max.cost().orElseThrow().source()).isEqualTo("price table");
        assertThat(pro.display()).isEqualTo("1 image × $0.04 = $0.04");
        assertThat(pro.what()).isEqualTo("flux-kontext-pro on bfl");
    }

    @Test
    void anUnknownPriceGivesAnUnknownEstimateAndNoCost() {
        CostEstimate estimate = PriceTable.published().estimate("toapis", KontextModel.MAX, 2);

        assertThat(estimate.priceKnown()).isFalse();
        assertThat(estimate.cost()).isEmpty();
        assertThat(estimate.display())
                .isEqualTo(
                        "2 images × unknown price = unknown (the price table has no price for flux-kontext-max on toapis)");
    }

    @Test
    void anAdministratorsTextIsReadWithCommentsDollarSignsTabsAndAnyCase() {
        PriceTable table = PriceTable.parse("""
                # our negotiated prices
                bfl\tflux-kontext-max   $0.075   # since March

                TOAPIS Flux-Kontext-Max 0.06
                fal flux-kontext-pro .035
                """, PROVIDERS);

        assertThat(table.pricePerImage("bfl", KontextModel.MAX)).contains(new BigDecimal("0.075"));
        assertThat(table.pricePerImage("bfl", KontextModel.PRO))
                .as("the typed table replaces the published one")
                .isEmpty();
        assertThat(table.pricePerImage("toapis", KontextModel.MAX)).contains(new BigDecimal("0.06"));
        assertThat(table.estimate("fal", KontextModel.PRO, 4).display()).isEqualTo("4 images × $0.035 = $0.14");
    }

    @Test
    void theTextOfATableReadsBackToTheSameTable() {
        PriceTable table = PriceTable.parse("toapis flux-kontext-max 0.06\nbfl flux-kontext-pro 0.04\n", PROVIDERS);

        assertThat(PriceTable.parse(table.toText(), PROVIDERS)).isEqualTo(table);
        assertThat(table.toText()).isEqualTo("""
                # provider model US-dollars-per-image
                bfl flux-kontext-pro 0.04
                toapis flux-kontext-max 0.06
                """);
        assertThat(PriceTable.parse(PriceTable.PUBLISHED_TEXT, PROVIDERS)).isEqualTo(PriceTable.published());
    }

    @Test
    void everyBadLineIsReportedWithItsNumberTheBadWordAndWhatIsAllowed() {
        String text = """
                bfl flux-kontext-max 0.08
                bfll flux-kontext-max 0.08
                bfl flux-kontext-ultra 0.08
                bfl flux-kontext-pro 0,04
                bfl flux-kontext-pro -1
                bfl flux-kontext-pro
                bfl flux-kontext-max 0.07
                """;

        assertThatThrownBy(() -> PriceTable.parse(text, PROVIDERS))
                .isInstanceOf(PriceTableException.class)
                .satisfies(e -> assertThat(((PriceTableException) e).problems())
                        .extracting(Violation::message)
                        .containsExactly(
                                "line 2, provider: \"bfll\" is not allowed; use one of bfl, fal, toapis",
                                "line 3, model: \"flux-kontext-ultra\" is not allowed; use one of flux-kontext-max, flux-kontext-pro",
                                "line 4, price: \"0,04\" is not allowed; use an amount in US dollars of 0 or more,"
                                        + " written with a dot, such as 0.08 or $1.50 (US dollars per image)",
                                "line 5, price: \"-1\" is not allowed; use an amount in US dollars of 0 or more,"
                                        + " written with a dot, such as 0.08 or $1.50 (US dollars per image)",
                                "line 6: \"bfl flux-kontext-pro\" is not allowed; write three words: provider model price,"
                                        + " e.g. bfl flux-kontext-max 0.08",
                                "line 7: \"bfl flux-kontext-max 0.07\" is not allowed; bfl flux-kontext-max already has a"
                                        + " price on line 1; keep one line per provider and model"))
                .hasMessageStartingWith("Price table (6 problems):\n  - line 2, provider: \"bfll\"");
    }

    @Test
    void aBlankConfigurationMeansThePublishedPricesAndOnlyCommentsMeansNone() {
        assertThat(PriceTable.fromConfiguration(null)).isEqualTo(PriceTable.published());
        assertThat(PriceTable.fromConfiguration("  \n")).isEqualTo(PriceTable.published());
        assertThat(PriceTable.fromConfiguration("# no prices").entries()).isEmpty();
    }

    @Test
    void aPriceCanBeSetForOneProviderAndModel() {
        PriceTable table = PriceTable.published().with("toapis", KontextModel.MAX, new BigDecimal("0.05"));

        assertThat(table.estimate("toapis", KontextModel.MAX, 2).display()).isEqualTo("2 images × $0.05 = $0.10");
        assertThat(table.pricePerImage("bfl", KontextModel.MAX)).contains(new BigDecimal("0.08"));
    }

    @Test
    void amountsReadLikeMoney() {
        assertThat(Dollars.format(new BigDecimal("0.8"))).isEqualTo("$0.80");
        assertThat(Dollars.format(new BigDecimal("1"))).isEqualTo("$1.00");
        assertThat(Dollars.format(new BigDecimal("0.035"))).isEqualTo("$0.035");
        assertThat(Dollars.format(new BigDecimal("0.2400"))).isEqualTo("$0.24");
        assertThat(Dollars.parse("maxCost", " $1.50 ")).isEqualByComparingTo("1.5");
        assertThat(Dollars.parse("maxCost", "")).isNull();
        assertThatThrownBy(() -> Dollars.parse("maxCost", "1e3"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("Invalid request: maxCost: \"1e3\" is not allowed; use an amount in US dollars of 0 or"
                        + " more, written with a dot, such as 0.08 or $1.50");
    }
}
