package io.jenkins.plugins.fluxkontext.freestyle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.fluxkontext.core.expand.BuildVariables;
import io.jenkins.plugins.fluxkontext.parameters.KontextParameters;
import io.jenkins.plugins.fluxkontext.parameters.StepSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Freestyle fields expand build variables in the prompt and the paths, and the result is checked like any other. */
class BuildVariablesTest {

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
    void anExpandedOutputFolderThatClimbsOutIsRefused() {
        FreestyleFields fields = new FreestyleFields("x", "$DIR/x", null, List.of());

        StepSettings settings = KontextParameters.settings(fields, new BuildVariables(Map.of("DIR", "../..")));

        assertThatThrownBy(settings::check).hasMessageContaining("outputDir: \"../../x\" is not allowed");
    }
}
