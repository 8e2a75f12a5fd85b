package io.jenkins.plugins.fluxkontext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.fluxkontext.core.expand.BuildVariables;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Empty fields take the global defaults; freestyle fields expand build variables, Pipeline ones never do. */
class DefaultsAndExpansionTest {

    private static final ConfiguredDefaults EU =
            new ConfiguredDefaults("bfl", Map.of("bfl", "https://api.eu.bfl.ai"), "team-key", 900, 30);

    @Test
    void emptyFieldsTakeTheGlobalDefaults() {
        StepSettings settings = StepSettings.generate("a fox").withDefaults(EU);
        settings.check();

        assertThat(settings.credentialsId()).isEqualTo("team-key");
        assertThat(settings.endpoint().baseUrl()).isEqualTo(URI.create("https://api.eu.bfl.ai"));
        assertThat(settings.timeout()).hasSeconds(900);
        assertThat(settings.pollTimeout()).hasSeconds(30);
    }

    @Test
    void whatAStepSetsWinsOverTheDefaults() {
        StepSettings settings = StepSettings.generate("a fox")
                .credentialsId("own-key")
                .baseUrl("https://api.us1.bfl.ai")
                .timeoutSeconds(120)
                .withDefaults(EU);

        assertThat(settings.credentialsId()).isEqualTo("own-key");
        assertThat(settings.endpoint().baseUrl()).isEqualTo(URI.create("https://api.us1.bfl.ai"));
        assertThat(settings.timeout()).hasSeconds(120);
    }

    @Test
    void withoutAnyConfigurationTheBuiltInDefaultsApply() {
        StepSettings settings = StepSettings.generate("a fox").withDefaults(ConfiguredDefaults.NONE);

        assertThat(settings.credentialsId()).isNull();
        assertThat(settings.endpoint().baseUrl()).isEqualTo(URI.create("https://api.bfl.ai"));
        assertThat(settings.timeout()).hasSeconds(600);
        assertThat(settings.pollTimeout()).hasSeconds(60);
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

    /** The getters a freestyle build step has; Jenkins' Builder cannot be instantiated against the API stubs. */
    record FreestyleFields(String getPrompt, String getOutputDir, String getFileNamePattern, List<String> inputImages)
            implements KontextParameters {
        public String getModel() {
            return null;
        }

        public String getAspectRatio() {
            return null;
        }

        public Long getSeed() {
            return null;
        }

        public String getOutputFormat() {
            return null;
        }

        public int getSafetyTolerance() {
            return 2;
        }

        public boolean isPromptUpsampling() {
            return false;
        }

        public int getCount() {
            return 1;
        }

        public String getCredentialsId() {
            return null;
        }

        public String getProvider() {
            return null;
        }

        public String getBaseUrl() {
            return null;
        }

        public boolean isArchive() {
            return true;
        }

        public String getOnModeration() {
            return null;
        }

        public Integer getTimeout() {
            return null;
        }

        public String getMaxCost() {
            return null;
        }

        public boolean isEdit() {
            return !inputImages.isEmpty();
        }
    }

    @Test
    void aFreestyleStepExpandsBuildVariablesInThePromptAndPaths() {
        List<String> inputs =
                FluxKontextEditBuilder.inputImages("in/$PRODUCT.png", "logos/${BRAND}.png\n\n  extra/$UNKNOWN.png  ");
        FreestyleFields fields = new FreestyleFields(
                "poster for $PRODUCT, build ${BUILD_NUMBER}, $$5 off",
                "out/$BUILD_NUMBER",
                "$PRODUCT-{index}.{ext}",
                inputs);
        BuildVariables env = new BuildVariables(Map.of("PRODUCT", "shoe", "BUILD_NUMBER", "17", "BRAND", "acme"));

        StepSettings settings = KontextParameters.settings(fields, env);

        assertThat(inputs).containsExactly("in/$PRODUCT.png", "logos/${BRAND}.png", "extra/$UNKNOWN.png");
        assertThat(settings.check().prompt()).isEqualTo("poster for shoe, build 17, $5 off");
        assertThat(settings.outputDir()).isEqualTo("out/17");
        assertThat(settings.outputPlan(Path.of("/ws")).fileNamePattern()).isEqualTo("shoe-{index}.{ext}");
        assertThat(settings.images()).containsExactly("in/shoe.png", "logos/acme.png", "extra/$UNKNOWN.png");
    }

    @Test
    void aPipelineStepTakesItsStringsLiterally() {
        FluxKontextGenerateStep step = new FluxKontextGenerateStep("price: $5 for ${NAME}");

        assertThat(step.settings().prompt()).isEqualTo("price: $5 for ${NAME}");
    }

    @Test
    void anExpandedOutputFolderThatClimbsOutIsRefused() {
        FreestyleFields fields = new FreestyleFields("x", "$DIR/x", null, List.of());

        StepSettings settings = KontextParameters.settings(fields, new BuildVariables(Map.of("DIR", "../..")));

        assertThatThrownBy(settings::check).hasMessageContaining("outputDir: \"../../x\" is not allowed");
    }
}
