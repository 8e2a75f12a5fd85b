package io.jenkins.plugins.fluxkontext.parameters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
import io.jenkins.plugins.fluxkontext.core.model.ImageRecipe;
import io.jenkins.plugins.fluxkontext.core.model.InvalidRequestException;
import io.jenkins.plugins.fluxkontext.core.reuse.Replay;
import io.jenkins.plugins.fluxkontext.testing.TestPng;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The campaign parameters of a step as plain values: formats, reuse, and a replay from a sidecar. */
class CampaignSettingsTest {

    @TempDir
    Path workspace;

    @Test
    void formatsComeAsAListOrAsTextAndJoinTheSingleAspectRatio() {
        GenerationRequest request = StepSettings.generate("hero")
                .aspectRatio("4:5")
                .aspectRatios(List.of("1:1, 9:16", " 16:9\n"))
                .count(2)
                .check();

        assertThat(request.aspectRatios()).extracting(Object::toString).containsExactly("4:5", "1:1", "9:16", "16:9");
        assertThat(request.imageCount()).isEqualTo(8);
        assertThat(AspectRatioList.split("1:1,9:16;  16:9")).containsExactly("1:1", "9:16", "16:9");
        assertThat(AspectRatioList.join(List.of("1:1", "9:16"))).isEqualTo("1:1, 9:16");
        assertThat(AspectRatioList.join(List.of(" "))).isNull();
    }

    @Test
    void aBadFormatAPatternWithoutFormatAndTooManyImagesAreRefusedTogether() {
        assertThatThrownBy(() -> StepSettings.generate("hero")
                        .aspectRatios(List.of("1:1", "40:9", "1:1"))
                        .count(13)
                        .fileNamePattern("{prefix}-v2-{index}.{ext}")
                        .check())
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("aspectRatios[2]: \"40:9\" is not allowed")
                .hasMessageContaining("aspectRatios[3]: \"1:1\" is not allowed; the shape of 1:1 is asked for already");
        assertThatThrownBy(() -> StepSettings.generate("hero")
                        .aspectRatios(List.of("1:1", "9:16"))
                        .fileNamePattern("{prefix}-v2-{index}.{ext}")
                        .check())
                .hasMessageContaining("with 2 aspect ratios the pattern needs {format} or {taskId}");
        assertThatThrownBy(() -> StepSettings.generate("hero")
                        .aspectRatios(List.of("1:1", "9:16"))
                        .count(13)
                        .check())
                .hasMessageContaining("count: \"13 in each of 2 formats\" is not allowed; at most 24 images");
    }

    @Test
    void reuseFollowsTheSeedUnlessGivenAndNeedsOneForJob() {
        assertThat(StepSettings.generate("x").seed(5L).reusePolicy()).isEqualTo(ReusePolicy.JOB);
        assertThat(StepSettings.generate("x").reusePolicy()).isEqualTo(ReusePolicy.NONE);
        assertThat(StepSettings.generate("x").seed(5L).reuse("none").reusePolicy())
                .isEqualTo(ReusePolicy.NONE);
        assertThatThrownBy(() -> StepSettings.generate("x").reuse("job").check())
                .hasMessageContaining("reuse: \"job\" is not allowed; job needs a fixed seed");
        assertThatThrownBy(() -> StepSettings.generate("x").reuse("always").check())
                .hasMessageContaining("reuse: \"always\" is not allowed; use job")
                .hasMessageContaining("or none");
    }

    @Test
    void aSidecarIsAJsonFileInsideTheWorkspace() {
        assertThat(StepSettings.generate("x")
                        .fromSidecar("assets/hero-1x1-1.png.json")
                        .check())
                .isNotNull();
        for (String bad : List.of("/etc/passwd.json", "../other/x.png.json", "C:\\x.json", "assets/hero.png")) {
            assertThatThrownBy(() -> StepSettings.generate("x").fromSidecar(bad).check())
                    .as(bad)
                    .hasMessageContaining("fromSidecar: \"" + bad + "\" is not allowed; give the .json sidecar");
        }
    }

    private static Replay replay(List<ImageRecipe.Input> inputs) {
        return new Replay(
                new ImageRecipe(
                        "fal",
                        "https://queue.fal.run",
                        "flux-kontext-pro",
                        "A red sneaker on a beach",
                        301L,
                        "9:16",
                        "jpeg",
                        4,
                        true,
                        1,
                        0,
                        inputs),
                "assets/hero-9x16-2.jpg.json");
    }

    @Test
    void aReplayFillsWhatTheStepLeftUnsetAndWhatTheStepGivesOverridesIt() {
        StepSettings replayed = StepSettings.generate(null).replay(replay(List.of()));
        GenerationRequest request = replayed.check();

        assertThat(request.prompt()).isEqualTo("A red sneaker on a beach");
        assertThat(request.model().id()).isEqualTo("flux-kontext-pro");
        assertThat(request.seed()).isEqualTo(301L);
        assertThat(request.aspectRatio()).hasToString("9:16");
        assertThat(request.outputFormat().id()).isEqualTo("jpeg");
        assertThat(request.safetyTolerance()).isEqualTo(4);
        assertThat(request.promptUpsampling()).isTrue();
        assertThat(request.count()).isEqualTo(1);
        assertThat(replayed.providerId()).isEqualTo("fal");
        assertThat(replayed.endpoint().baseUrl())
                .as("never the sidecar's base URL")
                .hasToString("https://queue.fal.run");
        assertThat(replayed.sidecarRead()).isTrue();

        GenerationRequest variation = StepSettings.generate("A blue sneaker on a beach")
                .aspectRatios(List.of("1:1", "16:9"))
                .replay(replay(List.of()))
                .check();
        assertThat(variation.prompt()).isEqualTo("A blue sneaker on a beach");
        assertThat(variation.seed()).isEqualTo(301L);
        assertThat(variation.aspectRatios()).extracting(Object::toString).containsExactly("1:1", "16:9");
    }

    @Test
    void aReplayedEditUsesTheSidecarsInputsOnlyWhileTheyHaveTheRecordedBytes() throws Exception {
        Files.createDirectories(workspace.resolve("assets"));
        byte[] png = TestPng.bytes(4, 4);
        Files.write(workspace.resolve("assets/product.png"), png);
        String sha256 =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(png));
        StepSettings settings = StepSettings.generate(null)
                .replay(replay(List.of(new ImageRecipe.Input("assets/product.png", sha256))));

        assertThat(settings.isEdit()).isTrue();
        assertThat(settings.images()).containsExactly("assets/product.png");
        assertThat(settings.request(workspace).inputImages()).hasSize(1);

        Files.write(workspace.resolve("assets/product.png"), TestPng.bytes(2, 2));
        assertThatThrownBy(() -> settings.request(workspace))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("image: \"" + workspace.resolve("assets/product.png") + "\" is not allowed")
                .hasMessageContaining("differs from the one the image was made from");

        StepSettings ownImage = StepSettings.edit(null, List.of("assets/product.png"))
                .replay(replay(List.of(new ImageRecipe.Input("assets/product.png", sha256))));
        assertThat(ownImage.request(workspace).inputImages())
                .as("an image the step names itself is taken as it is")
                .hasSize(1);
    }
}
