package io.jenkins.plugins.fluxkontext.core.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.fluxkontext.core.TestImages;
import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
import io.jenkins.plugins.fluxkontext.core.model.ImageRecipe;
import io.jenkins.plugins.fluxkontext.core.model.InputImage;
import io.jenkins.plugins.fluxkontext.core.task.WrittenImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sidecars read back: the current format with its recipe and fingerprint, and the first format's. */
class ImageSidecarTest {

    @TempDir
    Path dir;

    @Test
    void theCurrentFormatCarriesItsVersionRecipeFingerprintAndFormat() throws Exception {
        Files.write(dir.resolve("in.png"), TestImages.png(16, 16));
        GenerationRequest request = GenerationRequest.builder()
                .prompt("Beach poster")
                .inputImage(InputImage.parse("in.png", dir))
                .aspectRatios(List.of("1:1", "4:5"))
                .seed(12L)
                .build();
        ImageRecipe recipe = ImageRecipe.of(
                request.inFormat(request.formatOfImage(2)),
                12L,
                1,
                0,
                "bfl",
                URI.create("https://api.bfl.ai"),
                List.of(InputImage.sha256(request.inputImages().get(0))));
        OutputWriter writer = new OutputWriter(OutputPlan.into(dir.resolve("out")), request, "bfl");
        WrittenImage image = writer.write(
                new ImageProvenance(2, "bfl", "task-2", 12L, null, Instant.EPOCH, Instant.EPOCH, "x", recipe, null),
                new ByteArrayInputStream(TestImages.png(40, 50)));

        ImageSidecar sidecar = ImageSidecar.read(image.sidecar());

        assertThat(image.file().getFileName()).hasToString("flux-kontext-4x5-1.png");
        assertThat(sidecar.formatVersion())
                .isEqualTo(OutputWriter.FORMAT_VERSION)
                .isEqualTo(2);
        assertThat(sidecar.file()).isEqualTo("flux-kontext-4x5-1.png");
        assertThat(sidecar.sha256()).isEqualTo(image.sha256());
        assertThat(sidecar.recipe()).isEqualTo(recipe);
        assertThat(sidecar.fingerprint()).isEqualTo(recipe.fingerprint()).isEqualTo(image.fingerprint());
        assertThat(sidecar.reusedFrom()).isNull();
        assertThat(Files.readString(image.sidecar())).contains("\"aspectRatio\" : \"4:5\"");
    }

    @Test
    void theFirstFormatIsReadAsItsRequestInOneImageWithTheImagesSeedAndNoFingerprint() throws Exception {
        String first = """
                {
                  "formatVersion" : 1,
                  "file" : "flux-kontext-3-2.png",
                  "sha256" : "abc123",
                  "imageIndex" : 2,
                  "provider" : "bfl",
                  "taskId" : "t-2",
                  "seedRequested" : 43,
                  "seedReturned" : 43,
                  "seed" : 43,
                  "request" : {
                    "prompt" : "Lighthouse",
                    "model" : "flux-kontext-pro",
                    "provider" : "bfl",
                    "aspectRatio" : "3:4",
                    "seed" : 42,
                    "outputFormat" : "jpeg",
                    "safetyTolerance" : 5,
                    "promptUpsampling" : true,
                    "count" : 2,
                    "inputImages" : [ { "source" : "/ws/in.png", "sha256" : "ffee" } ]
                  }
                }
                """;

        ImageSidecar sidecar = ImageSidecar.read(new ByteArrayInputStream(first.getBytes(StandardCharsets.UTF_8)));

        assertThat(sidecar.formatVersion()).isEqualTo(1);
        assertThat(sidecar.fingerprint()).isNull();
        assertThat(sidecar.recipe())
                .isEqualTo(new ImageRecipe(
                        "bfl",
                        null,
                        "flux-kontext-pro",
                        "Lighthouse",
                        43L,
                        "3:4",
                        "jpeg",
                        5,
                        true,
                        1,
                        0,
                        List.of(new ImageRecipe.Input("/ws/in.png", "ffee"))));
    }

    @Test
    void whatIsNotASidecarThisVersionReadsIsRefusedSayingWhy() {
        assertThatThrownBy(() -> ImageSidecar.read(new ByteArrayInputStream("not json".getBytes())))
                .isInstanceOf(ImageSidecar.UnreadableSidecarException.class)
                .hasMessageContaining("not JSON");
        assertThatThrownBy(() -> ImageSidecar.read(new ByteArrayInputStream("{\"totals\":{}}".getBytes())))
                .hasMessageContaining("no formatVersion");
        assertThatThrownBy(() -> ImageSidecar.read(new ByteArrayInputStream("{\"formatVersion\":9}".getBytes())))
                .hasMessageContaining("formatVersion 9 is not one this version reads (1 to 2)");
    }
}
