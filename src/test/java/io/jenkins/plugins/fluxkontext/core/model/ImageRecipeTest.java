package io.jenkins.plugins.fluxkontext.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.fluxkontext.core.TestImages;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What decides an image, and the fingerprint that says two images are the same picture. */
class ImageRecipeTest {

    private static final String SHA_A = "a".repeat(64);
    private static final String SHA_B = "b".repeat(64);

    /** The fields of the recipe under test, each changeable on its own. */
    private static final class Fields {
        String provider = "bfl";
        String endpoint = "https://api.bfl.ai";
        String model = "flux-kontext-max";
        String prompt = "A \"red\" fox\\n\tat dusk, ünïcode";
        Long seed = 7L;
        String aspectRatio = "16:9";
        String outputFormat = "png";
        int safetyTolerance = 2;
        boolean promptUpsampling = false;
        int taskImages = 1;
        int positionInTask = 0;
        List<ImageRecipe.Input> inputs = List.of(new ImageRecipe.Input("assets/product.png", SHA_A));

        ImageRecipe recipe() {
            return new ImageRecipe(
                    provider,
                    endpoint,
                    model,
                    prompt,
                    seed,
                    aspectRatio,
                    outputFormat,
                    safetyTolerance,
                    promptUpsampling,
                    taskImages,
                    positionInTask,
                    inputs);
        }
    }

    private static ImageRecipe recipe() {
        return new Fields().recipe();
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
        List<Consumer<Fields>> changes = List.of(
                f -> f.provider = "fal",
                f -> f.endpoint = "https://api.eu.bfl.ai",
                f -> f.model = "flux-kontext-pro",
                f -> f.prompt += ".",
                f -> f.seed = 8L,
                f -> f.aspectRatio = "1:1",
                f -> f.outputFormat = "jpeg",
                f -> f.safetyTolerance = 3,
                f -> f.promptUpsampling = true,
                f -> f.taskImages = 2,
                f -> {
                    f.taskImages = 2;
                    f.positionInTask = 1;
                },
                f -> f.inputs = List.of(new ImageRecipe.Input("assets/product.png", SHA_B)),
                f -> f.inputs = List.of(new ImageRecipe.Input("a.png", SHA_A), new ImageRecipe.Input("b.png", SHA_B)));
        for (Consumer<Fields> change : changes) {
            Fields fields = new Fields();
            change.accept(fields);
            ImageRecipe changed = fields.recipe();
            assertThat(changed.fingerprint()).as(changed.canonical()).isNotEqualTo(r.fingerprint());
        }
    }

    @Test
    void whereAnInputImageLiesDoesNotCountOnlyItsBytes() {
        Fields moved = new Fields();
        moved.inputs = List.of(new ImageRecipe.Input("elsewhere/copy.png", SHA_A));
        assertThat(moved.recipe().fingerprint()).isEqualTo(recipe().fingerprint());
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
    void aRequestGivesEachImageItsRecipeWithTheInputPathAsGiven(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("in.png"), TestImages.png(8, 8));
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
