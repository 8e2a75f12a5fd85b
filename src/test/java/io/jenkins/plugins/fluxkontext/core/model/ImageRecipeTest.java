package io.jenkins.plugins.fluxkontext.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** What decides an image, and the fingerprint that says two images are the same picture. */
class ImageRecipeTest {

    private static final String SHA_A = "a".repeat(64);
    private static final String SHA_B = "b".repeat(64);

    private static ImageRecipe recipe() {
        return new ImageRecipe(
                "bfl",
                "https://api.bfl.ai",
                "flux-kontext-max",
                "A \"red\" fox\\n\tat dusk, ünïcode",
                7L,
                "16:9",
                "png",
                2,
                false,
                1,
                0,
                List.of(new ImageRecipe.Input("assets/product.png", SHA_A)));
    }

    @Test
    void theCanonicalFormIsSortedCompactJsonWithTheVersion() {
        assertThat(recipe().canonical())
                .isEqualTo("{\"aspectRatio\":\"16:9\",\"endpoint\":\"https://api.bfl.ai\",\"inputs\":[\"" + SHA_A
                        + "\"],\"model\":\"flux-kontext-max\",\"outputFormat\":\"png\",\"positionInTask\":0,"
                        + "\"prompt\":\"A \\\"red\\\" fox\\\\n\\u0009at dusk, ünïcode\",\"promptUpsampling\":false,"
                        + "\"provider\":\"bfl\",\"safetyTolerance\":2,\"seed\":7,\"taskImages\":1,\"version\":1}");
        assertThat(recipe().fingerprint()).matches("[0-9a-f]{64}").isEqualTo(recipe().fingerprint());
    }

    @Test
    void everyFieldThatDecidesTheImageChangesTheFingerprint() {
        ImageRecipe r = recipe();
        List<UnaryOperator<ImageRecipe>> changes = List.of(
                x -> new ImageRecipe(
                        "fal",
                        x.endpoint(),
                        x.model(),
                        x.prompt(),
                        x.seed(),
                        x.aspectRatio(),
                        x.outputFormat(),
                        x.safetyTolerance(),
                        x.promptUpsampling(),
                        1,
                        0,
                        x.inputs()),
                x -> new ImageRecipe(
                        x.provider(),
                        "https://api.eu.bfl.ai",
                        x.model(),
                        x.prompt(),
                        x.seed(),
                        x.aspectRatio(),
                        x.outputFormat(),
                        x.safetyTolerance(),
                        x.promptUpsampling(),
                        1,
                        0,
                        x.inputs()),
                x -> new ImageRecipe(
                        x.provider(),
                        x.endpoint(),
                        "flux-kontext-pro",
                        x.prompt(),
                        x.seed(),
                        x.aspectRatio(),
                        x.outputFormat(),
                        x.safetyTolerance(),
                        x.promptUpsampling(),
                        1,
                        0,
                        x.inputs()),
                x -> new ImageRecipe(
                        x.provider(),
                        x.endpoint(),
                        x.model(),
                        x.prompt() + ".",
                        x.seed(),
                        x.aspectRatio(),
                        x.outputFormat(),
                        x.safetyTolerance(),
                        x.promptUpsampling(),
                        1,
                        0,
                        x.inputs()),
                x -> new ImageRecipe(
                        x.provider(),
                        x.endpoint(),
                        x.model(),
                        x.prompt(),
                        8L,
                        x.aspectRatio(),
                        x.outputFormat(),
                        x.safetyTolerance(),
                        x.promptUpsampling(),
                        1,
                        0,
                        x.inputs()),
                x -> new ImageRecipe(
                        x.provider(),
                        x.endpoint(),
                        x.model(),
                        x.prompt(),
                        x.seed(),
                        "1:1",
                        x.outputFormat(),
                        x.safetyTolerance(),
                        x.promptUpsampling(),
                        1,
                        0,
                        x.inputs()),
                x -> new ImageRecipe(
                        x.provider(),
                        x.endpoint(),
                        x.model(),
                        x.prompt(),
                        x.seed(),
                        x.aspectRatio(),
                        "jpeg",
                        x.safetyTolerance(),
                        x.promptUpsampling(),
                        1,
                        0,
                        x.inputs()),
                x -> new ImageRecipe(
                        x.provider(),
                        x.endpoint(),
                        x.model(),
                        x.prompt(),
                        x.seed(),
                        x.aspectRatio(),
                        x.outputFormat(),
                        3,
                        x.promptUpsampling(),
                        1,
                        0,
                        x.inputs()),
                x -> new ImageRecipe(
                        x.provider(),
                        x.endpoint(),
                        x.model(),
                        x.prompt(),
                        x.seed(),
                        x.aspectRatio(),
                        x.outputFormat(),
                        x.safetyTolerance(),
                        true,
                        1,
                        0,
                        x.inputs()),
                x -> new ImageRecipe(
                        x.provider(),
                        x.endpoint(),
                        x.model(),
                        x.prompt(),
                        x.seed(),
                        x.aspectRatio(),
                        x.outputFormat(),
                        x.safetyTolerance(),
                        x.promptUpsampling(),
                        2,
                        0,
                        x.inputs()),
                x -> new ImageRecipe(
                        x.provider(),
                        x.endpoint(),
                        x.model(),
                        x.prompt(),
                        x.seed(),
                        x.aspectRatio(),
                        x.outputFormat(),
                        x.safetyTolerance(),
                        x.promptUpsampling(),
                        2,
                        1,
                        x.inputs()),
                x -> new ImageRecipe(
                        x.provider(),
                        x.endpoint(),
                        x.model(),
                        x.prompt(),
                        x.seed(),
                        x.aspectRatio(),
                        x.outputFormat(),
                        x.safetyTolerance(),
                        x.promptUpsampling(),
                        1,
                        0,
                        List.of(new ImageRecipe.Input("assets/product.png", SHA_B))),
                x -> new ImageRecipe(
                        x.provider(),
                        x.endpoint(),
                        x.model(),
                        x.prompt(),
                        x.seed(),
                        x.aspectRatio(),
                        x.outputFormat(),
                        x.safetyTolerance(),
                        x.promptUpsampling(),
                        1,
                        0,
                        List.of(new ImageRecipe.Input("a.png", SHA_A), new ImageRecipe.Input("b.png", SHA_B))));
        for (UnaryOperator<ImageRecipe> change : changes) {
            ImageRecipe changed = change.apply(r);
            assertThat(changed.fingerprint()).as(changed.canonical()).isNotEqualTo(r.fingerprint());
        }
    }

    @Test
    void whereAnInputImageLiesDoesNotCountOnlyItsBytes() {
        ImageRecipe moved = new ImageRecipe(
                "bfl",
                "https://api.bfl.ai",
                "flux-kontext-max",
                recipe().prompt(),
                7L,
                "16:9",
                "png",
                2,
                false,
                1,
                0,
                List.of(new ImageRecipe.Input("elsewhere/copy.png", SHA_A)));
        assertThat(moved.fingerprint()).isEqualTo(recipe().fingerprint());
    }

    @Test
    void aRandomSeedOrAnInputGivenByUrlCannotBeRecognisedAgain() {
        ImageRecipe random =
                new ImageRecipe("bfl", null, "flux-kontext-max", "p", null, null, "png", 2, false, 1, 0, List.of());
        ImageRecipe byUrl = new ImageRecipe(
                "bfl",
                null,
                "flux-kontext-max",
                "p",
                1L,
                null,
                "png",
                2,
                false,
                1,
                0,
                List.of(new ImageRecipe.Input("https://cdn.example.com/a.png", null)));
        assertThat(random.reproducible()).isFalse();
        assertThat(random.fingerprint()).isNull();
        assertThat(byUrl.fingerprint()).isNull();
    }

    @Test
    void anEndpointIsNamedWithoutUserQueryOrTrailingSlash() {
        assertThat(ImageRecipe.endpointOf(URI.create("HTTPS://user:pw@API.BFL.ai/?x=1#f")))
                .isEqualTo("https://api.bfl.ai");
        assertThat(ImageRecipe.endpointOf(URI.create("http://127.0.0.1:8089/fal/")))
                .isEqualTo("http://127.0.0.1:8089/fal");
    }

    @Test
    void aRequestGivesEachImageItsRecipeWithTheInputPathAsGiven() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("recipe");
        java.nio.file.Files.write(dir.resolve("in.png"), io.jenkins.plugins.fluxkontext.core.TestImages.png(8, 8));
        GenerationRequest request = GenerationRequest.builder()
                .prompt("p")
                .inputImage(InputImage.parse("in.png", dir))
                .aspectRatio("9:16")
                .build();

        ImageRecipe recipe =
                ImageRecipe.of(request, 11L, 1, 0, "bfl", URI.create("https://api.bfl.ai/"), List.of(SHA_A));

        assertThat(recipe.inputs()).containsExactly(new ImageRecipe.Input("in.png", SHA_A));
        assertThat(recipe.aspectRatio()).isEqualTo("9:16");
        assertThat(recipe.seed()).isEqualTo(11L);
        assertThat(recipe.endpoint()).isEqualTo("https://api.bfl.ai");
    }
}
