package io.jenkins.plugins.fluxkontext.action;

import static io.jenkins.plugins.fluxkontext.agent.GenerationReportTest.WORKSPACE;
import static io.jenkins.plugins.fluxkontext.agent.GenerationReportTest.handle;
import static io.jenkins.plugins.fluxkontext.agent.GenerationReportTest.result;
import static io.jenkins.plugins.fluxkontext.agent.GenerationReportTest.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.fluxkontext.action.GalleryEntry.GalleryTile;
import io.jenkins.plugins.fluxkontext.agent.GenerationReport;
import io.jenkins.plugins.fluxkontext.core.budget.CostEstimate;
import io.jenkins.plugins.fluxkontext.core.engine.GenerationResult;
import io.jenkins.plugins.fluxkontext.core.model.KontextModel;
import io.jenkins.plugins.fluxkontext.core.task.Billing;
import io.jenkins.plugins.fluxkontext.core.task.Cost;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the build page shows for a request, built from the agent's report. */
class GalleryEntryTest {

    private static GenerationReport report(GenerationResult result) {
        CostEstimate estimate =
                new CostEstimate("bfl", KontextModel.MAX, result.outcomes().size(), new BigDecimal("0.08"));
        return GenerationReport.of(result, WORKSPACE, "bfl", "flux-kontext-max").withCharge(estimate.charge(result));
    }

    @Test
    void aTilePerTaskWithImagesFromTheArchiveAndReasonsForTheRest() {
        GenerationResult result = result(
                succeeded(1, "t-1", null),
                new TaskOutcome.Moderated(
                        2, handle(2, "t-2"), TaskOutcome.ModerationSide.OUTPUT, List.of("NSFW"), Billing.NOT_BILLED),
                new TaskOutcome.Failed(3, handle(3, "t-3"), "Error", "GPU fell over", Billing.BILLED));

        GalleryEntry entry = GalleryEntry.of("a red fox", false, report(result), Duration.ofMillis(42_300), true);

        assertThat(entry.getPrompt()).isEqualTo("a red fox");
        assertThat(entry.getProvider()).isEqualTo("bfl");
        assertThat(entry.getModel()).isEqualTo("flux-kontext-max");
        assertThat(entry.getDuration()).isEqualTo("42.3 s");
        // Two billed tasks at the table price; the moderated one was not billed.
        assertThat(entry.getCost()).isEqualTo("$0.16 (estimated from the price table)");
        assertThat(entry.costUsd()).isEqualByComparingTo("0.16");
        List<GalleryTile> tiles = entry.getTiles();
        assertThat(tiles).extracting(GalleryTile::getStatus).containsExactly("succeeded", "moderated", "failed");
        assertThat(tiles.get(0).isImage()).isTrue();
        assertThat(tiles.get(0).getArtifactUrl()).isEqualTo("flux-kontext/flux-kontext-7-1.png");
        assertThat(tiles.get(0).getSeed()).isEqualTo(42L);
        assertThat(tiles.get(0).getTaskId()).isEqualTo("t-1");
        assertThat(tiles.get(0).getMessage()).isNull();
        assertThat(tiles.get(1).isImage()).isFalse();
        assertThat(tiles.get(1).getMessage()).contains("moderated");
        assertThat(tiles.get(2).getMessage()).contains("GPU fell over");
    }

    @Test
    void imagesThatWereNotArchivedHaveNoAddress() {
        GalleryEntry entry =
                GalleryEntry.of("x", false, report(result(succeeded(1, "t-1", null))), Duration.ZERO, false);

        assertThat(entry.getTiles().get(0).isImage()).isFalse();
        assertThat(entry.getTiles().get(0).getArtifactUrl()).isNull();
    }

    @Test
    void aCostThatTheProviderReportedIsShownAsSuch() {
        GalleryEntry entry = GalleryEntry.of(
                "x",
                false,
                report(result(succeeded(1, "t-1", Cost.reported(new BigDecimal("0.07"))))),
                Duration.ofSeconds(130),
                true);

        assertThat(entry.getCost()).isEqualTo("$0.07 (reported by the provider)");
        assertThat(entry.getDuration()).isEqualTo("2 min 10 s");
    }

    @Test
    void addressesAreEncodedPerSegmentSoNoNameCanBreakOutOfTheArtifactUrl() {
        assertThat(GalleryTile.encodeSegment("a b\"<x>?#.png")).isEqualTo("a%20b%22%3Cx%3E%3F%23.png");
        assertThat(GalleryTile.encodeSegment("schön.png")).isEqualTo("sch%C3%B6n.png");
    }

    @Test
    void longPromptsAreCutSoBuildXmlStaysSmall() {
        String prompt = "x".repeat(5000);

        GalleryEntry entry =
                GalleryEntry.of(prompt, false, report(result(succeeded(1, "t-1", null))), Duration.ZERO, true);

        assertThat(entry.getPrompt()).hasSize(GalleryEntry.STORED_PROMPT_LENGTH).endsWith("…");
    }

    /** XStream, which stores actions in build.xml, cannot write the final fields of a record, nor should it try. */
    @Test
    void whatTheBuildStoresIsPlainClassesWithoutFinalFields() {
        for (Class<?> type : List.of(FluxKontextAction.class, GalleryEntry.class, GalleryTile.class)) {
            assertThat(type.isRecord()).as(type.getName()).isFalse();
            for (Field f : type.getDeclaredFields()) {
                if (!Modifier.isStatic(f.getModifiers()) && !Modifier.isTransient(f.getModifiers())) {
                    assertThat(f.getType().isRecord())
                            .as(type.getSimpleName() + "." + f.getName())
                            .isFalse();
                    assertThat(f.getType())
                            .as(type.getSimpleName() + "." + f.getName())
                            .isNotEqualTo(GenerationReport.class);
                }
            }
        }
    }
}
