package io.jenkins.plugins.fluxkontext.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.fluxkontext.core.TestImages;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GenerationRequestTest {

    @TempDir
    Path dir;

    @Test
    void aPromptAloneMakesOneMaxPngWithDefaultSafety() {
        GenerationRequest request = GenerationRequest.builder()
                .prompt("  a red bicycle on a beach \n")
                .build();

        assertThat(request.prompt()).isEqualTo("a red bicycle on a beach");
        assertThat(request.model()).isEqualTo(KontextModel.MAX);
        assertThat(request.outputFormat()).isEqualTo(OutputFormat.PNG);
        assertThat(request.safetyTolerance()).isEqualTo(2);
        assertThat(request.count()).isEqualTo(1);
        assertThat(request.aspectRatio()).isNull();
        assertThat(request.seed()).isNull();
        assertThat(request.isEdit()).isFalse();
    }

    @Test
    void everyFieldAsTypedByAUserIsParsed() {
        GenerationRequest request = GenerationRequest.builder()
                .prompt("poster")
                .model("flux-kontext-pro")
                .aspectRatio("16:9")
                .seed(42L)
                .outputFormat("JPG")
                .safetyTolerance(6)
                .promptUpsampling(true)
                .count(3)
                .build();

        assertThat(request.model()).isEqualTo(KontextModel.PRO);
        assertThat(request.aspectRatio()).isEqualTo(new AspectRatio(16, 9));
        assertThat(request.outputFormat()).isEqualTo(OutputFormat.JPEG);
        assertThat(request.seedForImage(0)).isEqualTo(42L);
        assertThat(request.seedForImage(2)).isEqualTo(44L);
        assertThat(request.promptUpsampling()).isTrue();
        assertThat(request.toBuilder().build()).isEqualTo(request);
    }

    @Test
    void allProblemsAreReportedAtOnceWithFieldValueAndWhatIsAllowed() {
        assertThatThrownBy(() -> GenerationRequest.builder()
                        .prompt(" ")
                        .model("flux-dev")
                        .aspectRatio("30:9")
                        .outputFormat("gif")
                        .safetyTolerance(7)
                        .count(0)
                        .seed(-1L)
                        .build())
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.violations())
                            .extracting(Violation::field)
                            .containsExactlyInAnyOrder(
                                    "prompt",
                                    "model",
                                    "aspectRatio",
                                    "outputFormat",
                                    "safetyTolerance",
                                    "count",
                                    "seed");
                    assertThat(e.getMessage())
                            .contains(
                                    "model: \"flux-dev\" is not allowed; use one of flux-kontext-max, flux-kontext-pro")
                            .contains("aspectRatio: \"30:9\"")
                            .contains("between 21:9 and 9:21")
                            .contains("outputFormat: \"gif\" is not allowed; use png or jpeg")
                            .contains("safetyTolerance: \"7\" is not allowed; use 0 (strictest) to 6")
                            .contains("count: \"0\" is not allowed; use 1 to 24")
                            .contains("prompt: \"\" is not allowed; a prompt is required");
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"21:9", "9:21", "1:1", "7:3", "3:7", " 16 : 9 "})
    void aspectRatiosFrom21by9To9by21AreAccepted(String ratio) {
        assertThat(GenerationRequest.builder()
                        .prompt("p")
                        .aspectRatio(ratio)
                        .build()
                        .aspectRatio())
                .isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"22:9", "9:22", "0:1", "16x9", "wide", "1:0", "-1:2"})
    void aspectRatiosOutsideTheRangeOrMalformedAreRefused(String ratio) {
        assertThatThrownBy(() -> GenerationRequest.builder()
                        .prompt("p")
                        .aspectRatio(ratio)
                        .build())
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("aspectRatio");
    }

    @Test
    void aLongPromptIsRefusedWithItsLength() {
        assertThatThrownBy(() ->
                        GenerationRequest.builder().prompt("x".repeat(10_001)).build())
                .hasMessageContaining("prompt: \"10001 characters\" is not allowed; at most 10000 characters");
    }

    @Test
    void inputImagesMustBeRealImagesThatExist() throws Exception {
        Path png = Files.write(dir.resolve("in.png"), TestImages.png(8, 8));
        Path jpeg = Files.write(dir.resolve("in.jpg"), TestImages.jpeg(8, 8));
        Path text = Files.writeString(dir.resolve("notes.png"), "not an image", StandardCharsets.UTF_8);

        GenerationRequest ok = GenerationRequest.builder()
                .prompt("edit")
                .inputImage(new InputImage.LocalFile(png))
                .inputImage(new InputImage.LocalFile(jpeg))
                .inputImage(new InputImage.RemoteUrl(URI.create("https://example.com/a.webp")))
                .build();
        assertThat(ok.isEdit()).isTrue();

        assertThatThrownBy(() -> GenerationRequest.builder()
                        .prompt("edit")
                        .inputImage(new InputImage.LocalFile(text))
                        .inputImage(new InputImage.LocalFile(dir.resolve("missing.png")))
                        .inputImage(new InputImage.RemoteUrl(URI.create("ftp://example.com/a.png")))
                        .build())
                .isInstanceOfSatisfying(
                        InvalidRequestException.class,
                        e -> assertThat(e.getMessage())
                                .contains("images[1]: \"" + text
                                        + "\" is not allowed; the file is not a PNG, JPEG or WebP image")
                                .contains("images[2]")
                                .contains("the file does not exist")
                                .contains("images[3]: \"ftp://example.com/a.png\" is not allowed; use an http(s) URL"));
    }

    @Test
    void atMostFourInputImages() throws Exception {
        Path png = Files.write(dir.resolve("in.png"), TestImages.png(4, 4));
        GenerationRequest.Builder builder = GenerationRequest.builder().prompt("edit");
        for (int i = 0; i < 5; i++) {
            builder.inputImage(new InputImage.LocalFile(png));
        }
        assertThatThrownBy(builder::build).hasMessageContaining("images: \"5 images\" is not allowed; at most 4");
    }

    @Test
    void anInputImageOver20MegabytesIsRefusedBeforeUpload() throws Exception {
        byte[] big = new byte[(int) InputImage.MAX_BYTES + 1];
        System.arraycopy(TestImages.png(2, 2), 0, big, 0, 16);
        assertThatThrownBy(() -> GenerationRequest.builder()
                        .prompt("edit")
                        .inputImage(new InputImage.InlineBytes("big.png", big))
                        .build())
                .hasMessageContaining("an input image may be at most 20 MB");
    }

    @Test
    void userTextBecomesAUrlOrAWorkspaceFile() {
        assertThat(InputImage.parse("https://cdn.example.com/a.png?sig=secret", dir))
                .isEqualTo(new InputImage.RemoteUrl(URI.create("https://cdn.example.com/a.png?sig=secret")));
        assertThat(InputImage.parse("https://cdn.example.com/a.png?sig=secret", dir)
                        .describe())
                .isEqualTo("https://cdn.example.com/a.png");
        assertThat(InputImage.parse("art/in.png", dir)).isEqualTo(new InputImage.LocalFile(dir.resolve("art/in.png")));
    }

    @Test
    void theShortPromptFitsOnOneLogLine() {
        GenerationRequest request = GenerationRequest.builder()
                .prompt("a\nvery   long\tprompt " + "x".repeat(100))
                .build();
        assertThat(request.shortPrompt(20))
                .hasSize(20)
                .startsWith("a very long prompt")
                .endsWith("…");
    }
}
