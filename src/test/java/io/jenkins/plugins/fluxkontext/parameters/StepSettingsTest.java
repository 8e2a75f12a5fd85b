package io.jenkins.plugins.fluxkontext.parameters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
import io.jenkins.plugins.fluxkontext.core.model.InputImage;
import io.jenkins.plugins.fluxkontext.core.model.InvalidRequestException;
import io.jenkins.plugins.fluxkontext.core.model.KontextModel;
import io.jenkins.plugins.fluxkontext.core.model.OutputFormat;
import io.jenkins.plugins.fluxkontext.core.output.OutputPlan;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderEndpoint;
import io.jenkins.plugins.fluxkontext.testing.TestPng;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StepSettingsTest {

    @Test
    void defaultsMakeOneMaxPngAtBfl() {
        GenerationRequest request = StepSettings.generate("a red fox in snow").check();

        assertThat(request.prompt()).isEqualTo("a red fox in snow");
        assertThat(request.model()).isEqualTo(KontextModel.MAX);
        assertThat(request.outputFormat()).isEqualTo(OutputFormat.PNG);
        assertThat(request.count()).isEqualTo(1);
        assertThat(request.safetyTolerance()).isEqualTo(2);
        assertThat(request.seed()).isNull();
        assertThat(request.isEdit()).isFalse();
        assertThat(StepSettings.generate("x").endpoint().baseUrl()).isEqualTo(URI.create("https://api.bfl.ai"));
        assertThat(StepSettings.generate("x").timeout()).hasSeconds(600);
    }

    @Test
    void everyParameterReachesTheRequest() {
        GenerationRequest request = StepSettings.generate("poster")
                .model("flux-kontext-pro")
                .aspectRatio("16:9")
                .seed(42L)
                .outputFormat("jpeg")
                .safetyTolerance(5)
                .promptUpsampling(true)
                .count(3)
                .check();

        assertThat(request.model()).isEqualTo(KontextModel.PRO);
        assertThat(request.aspectRatio()).hasToString("16:9");
        assertThat(request.seed()).isEqualTo(42L);
        assertThat(request.outputFormat()).isEqualTo(OutputFormat.JPEG);
        assertThat(request.safetyTolerance()).isEqualTo(5);
        assertThat(request.promptUpsampling()).isTrue();
        assertThat(request.count()).isEqualTo(3);
    }

    @Test
    void everyProblemIsListedAtOnceWithFieldValueAndWhatIsAllowed() {
        StepSettings settings = StepSettings.generate(" ")
                .aspectRatio("30:9")
                .count(0)
                .safetyTolerance(9)
                .outputFormat("gif")
                .provider("nope")
                .baseUrl("http://example.com")
                .timeoutSeconds(0)
                .outputDir("../x");

        assertThatThrownBy(settings::check)
                .isInstanceOf(InvalidRequestException.class)
                .satisfies(e -> assertThat(((InvalidRequestException) e).violations())
                        .extracting(v -> v.field())
                        .containsExactlyInAnyOrder(
                                "prompt",
                                "aspectRatio",
                                "count",
                                "safetyTolerance",
                                "outputFormat",
                                "provider",
                                "baseUrl",
                                "timeout",
                                "outputDir"))
                .hasMessageContaining("\"30:9\"")
                .hasMessageContaining("use 1 to 24")
                .hasMessageContaining("use one of bfl");
    }

    @Test
    void anEditNeedsAnImage() {
        assertThatThrownBy(() -> StepSettings.edit("make it blue", List.of()).check())
                .hasMessageContaining("image: no value is not allowed");
        assertThatThrownBy(() -> StepSettings.edit("x", List.of("1.png", "2.png", "3.png", "4.png", "5.png"))
                        .check())
                .hasMessageContaining("at most 4 input images");
        assertThat(StepSettings.edit("x", List.of("in.png")).check().prompt()).isEqualTo("x");
    }

    @Test
    void inputImagesResolveAgainstTheWorkspaceOnTheAgent(@TempDir Path workspace) throws IOException {
        Path image = TestPng.write(workspace.resolve("art/in.png"), 8, 8);

        GenerationRequest request = StepSettings.edit("x", List.of("art/in.png", "https://cdn.example.com/b.jpg?sig=1"))
                .request(workspace);

        assertThat(request.inputImages())
                .containsExactly(
                        new InputImage.LocalFile(image),
                        new InputImage.RemoteUrl(URI.create("https://cdn.example.com/b.jpg?sig=1")));
    }

    @Test
    void aMissingInputFileIsRefusedBeforeAnythingIsSent(@TempDir Path workspace) {
        assertThatThrownBy(() -> StepSettings.edit("x", List.of("missing.png")).request(workspace))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("image")
                .hasMessageContaining("does not exist");
    }

    @Test
    void imagesGoIntoTheOutputFolderWithTheStepsPrefix(@TempDir Path workspace) {
        OutputPlan plan = StepSettings.generate("x")
                .outputDir("out/campaign")
                .filePrefix("flux-kontext-7")
                .fileNamePattern("{prefix}-{seed}-{index}.{ext}")
                .outputPlan(workspace);

        assertThat(plan.directory()).isEqualTo(workspace.resolve("out/campaign"));
        assertThat(plan.prefix()).isEqualTo("flux-kontext-7");
        assertThat(plan.fileNamePattern()).isEqualTo("{prefix}-{seed}-{index}.{ext}");
    }

    @Test
    void theBaseUrlReplacesTheProvidersDefault() {
        ProviderEndpoint endpoint =
                StepSettings.generate("x").baseUrl("https://api.eu.bfl.ai").endpoint();
        assertThat(endpoint.baseUrl()).isEqualTo(URI.create("https://api.eu.bfl.ai"));
        assertThat(endpoint.dialect().id()).isEqualTo("bfl");
    }

    @Test
    void moderationPolicyIsOneOfTwoNames() {
        assertThat(ModerationPolicy.parse(null)).isEqualTo(ModerationPolicy.FAILURE);
        assertThat(ModerationPolicy.parse(" unstable ")).isEqualTo(ModerationPolicy.UNSTABLE);
        assertThatThrownBy(() -> ModerationPolicy.parse("IGNORE"))
                .hasMessageContaining("onModeration")
                .hasMessageContaining("use FAILURE or UNSTABLE");
    }

    @Test
    void settingsTravelToTheAgentAsPlainSerializableValues() throws IOException {
        StepSettings settings =
                StepSettings.edit("x", List.of("a.png")).seed(1L).credentialsId("flux-key");
        try (ObjectOutputStream out = new ObjectOutputStream(new ByteArrayOutputStream())) {
            out.writeObject(settings);
        }
    }

    @Test
    void maxCostIsReadAsDollarsAndABadOneIsRefusedWithTheField() {
        assertThat(StepSettings.generate("x").maxCost("$0.50").maxCost()).isEqualByComparingTo(new BigDecimal("0.50"));
        assertThat(StepSettings.generate("x").maxCost()).isNull();
        assertThatThrownBy(() -> StepSettings.generate("x").maxCost("0,50").check())
                .hasMessageContaining("maxCost: \"0,50\" is not allowed");
    }

    @Test
    void aBadFileNamePatternIsRefusedBeforeAnythingIsSent() {
        assertThatThrownBy(() -> StepSettings.generate("x")
                        .count(2)
                        .fileNamePattern("banner.{ext}")
                        .check())
                .hasMessageContaining("fileNamePattern")
                .hasMessageContaining("{index} or {taskId}");
    }
}
