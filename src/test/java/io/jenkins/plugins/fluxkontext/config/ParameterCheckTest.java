package io.jenkins.plugins.fluxkontext.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.fluxkontext.parameters.StepSettings;
import org.junit.jupiter.api.Test;

/** The forms say what a build would say, in the same words, and nothing about fine values. */
class ParameterCheckTest {

    @Test
    void numbersAreCheckedAsTheStepChecksThem() {
        assertThat(ParameterCheck.number("count", "3", StepSettings::count)).isNull();
        assertThat(ParameterCheck.number("count", "", StepSettings::count)).isNull();
        assertThat(ParameterCheck.number("count", "99", StepSettings::count))
                .isEqualTo("count: \"99\" is not allowed; use 1 to 24");
        assertThat(ParameterCheck.number("count", "two", StepSettings::count))
                .isEqualTo("count: \"two\" is not allowed; use a whole number");
        assertThat(ParameterCheck.number("timeout", "0", StepSettings::timeoutSeconds))
                .startsWith("timeout: \"0\" is not allowed");
    }

    @Test
    void textFieldsReuseTheStepsValidation() {
        assertThat(ParameterCheck.problem("aspectRatio", s -> s.aspectRatio("30:9")))
                .startsWith("aspectRatio: \"30:9\"");
        assertThat(ParameterCheck.problem("aspectRatio", s -> s.aspectRatio("16:9")))
                .isNull();
        assertThat(ParameterCheck.problem("baseUrl", s -> s.baseUrl("http://169.254.169.254")))
                .startsWith("baseUrl: \"http://169.254.169.254\" is not allowed; use an https URL");
        assertThat(ParameterCheck.problem("outputDir", s -> s.outputDir("/etc")))
                .startsWith("outputDir: \"/etc\"");
        assertThat(ParameterCheck.prompt(" ")).startsWith("prompt:");
        assertThat(ParameterCheck.seed("-1")).startsWith("seed:");
        assertThat(ParameterCheck.seed("x")).isEqualTo("seed: \"x\" is not allowed; use a whole number of 0 or more");
    }

    @Test
    void amountsAndThePriceTableAreCheckedWithLineNumbers() {
        assertThat(ParameterCheck.amount("maxCostPerBuild", "$5.00")).isNull();
        assertThat(ParameterCheck.amount("maxCostPerBuild", "5,00"))
                .startsWith("maxCostPerBuild: \"5,00\" is not allowed");
        assertThat(ParameterCheck.priceTable("bfl flux-kontext-max 0.08\nbfl flux-kontext-pro 0,04"))
                .contains("line 2, price: \"0,04\" is not allowed");
        assertThat(ParameterCheck.priceTable("")).isNull();
    }

    @Test
    void pathsWithBuildVariablesWaitForTheBuild() {
        assertThat(ParameterCheck.hasVariables("out/$BUILD_NUMBER")).isTrue();
        assertThat(ParameterCheck.hasVariables("out")).isFalse();
    }
}
