package io.jenkins.plugins.fluxkontext.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.fluxkontext.config.StepForm.Answer;
import io.jenkins.plugins.fluxkontext.config.StepForm.Choice;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The one form logic of the Pipeline steps' Snippet Generator and the freestyle build steps: the same choices, the
 * same words as a build, and the one difference their builds have (freestyle paths may hold build variables).
 */
class StepFormTest {

    private static String selected(List<Choice> choices) {
        List<String> values =
                choices.stream().filter(Choice::selected).map(Choice::value).toList();
        assertThat(values).as("exactly one entry is selected in " + choices).hasSize(1);
        return values.get(0);
    }

    @Test
    void everyDropDownStartsWithItsDefaultAsTheEmptyValueSoTheSnippetLeavesItOut() {
        for (List<Choice> choices : List.of(
                StepForm.provider(null),
                StepForm.model(null),
                StepForm.outputFormat(null),
                StepForm.onModeration(null))) {
            assertThat(choices.get(0).value()).isEmpty();
            assertThat(selected(choices)).isEmpty();
        }
        assertThat(StepForm.provider("").get(0).label()).isEqualTo("Global default");
        assertThat(StepForm.model(null))
                .extracting(Choice::label, Choice::value)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("flux-kontext-max (default)", ""),
                        org.assertj.core.groups.Tuple.tuple("flux-kontext-pro", "flux-kontext-pro"));
        assertThat(StepForm.outputFormat(null)).extracting(Choice::value).containsExactly("", "jpeg");
        assertThat(StepForm.onModeration(null))
                .extracting(Choice::label, Choice::value)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("Fail the build (default)", ""),
                        org.assertj.core.groups.Tuple.tuple("Mark the build unstable", "UNSTABLE"));
    }

    @Test
    void everyProviderIsOfferedAfterTheGlobalDefault() {
        List<Choice> providers = StepForm.providers();
        assertThat(providers)
                .isNotEmpty()
                .extracting(Choice::value)
                .contains("bfl")
                .doesNotContain("");
        assertThat(providers).noneMatch(Choice::selected);
        assertThat(StepForm.provider(null).subList(1, providers.size() + 1)).isEqualTo(providers);
    }

    @Test
    void theSavedValueIsSelectedAndOneNoEntryHoldsIsKeptSoSavingChangesNothing() {
        assertThat(selected(StepForm.model("flux-kontext-pro"))).isEqualTo("flux-kontext-pro");
        assertThat(selected(StepForm.onModeration("UNSTABLE"))).isEqualTo("UNSTABLE");
        assertThat(selected(StepForm.provider("bfl"))).isEqualTo("bfl");

        List<Choice> jpg = StepForm.outputFormat("jpg");
        assertThat(jpg).hasSize(3);
        assertThat(jpg.get(2)).isEqualTo(new Choice("jpg", "jpg", true));
        // An older freestyle form saved the default explicitly; it stays as it was saved.
        assertThat(selected(StepForm.onModeration("FAILURE"))).isEqualTo("FAILURE");
        assertThat(selected(StepForm.model(" flux-kontext-max "))).isEqualTo("flux-kontext-max");
    }

    @Test
    void fieldsAreCheckedInTheWordsOfABuildOnBothFaces() {
        for (StepForm form : List.of(StepForm.PIPELINE, StepForm.FREESTYLE)) {
            assertThat(form.count("99")).isEqualTo(new Answer(false, "count: \"99\" is not allowed; use 1 to 24"));
            assertThat(form.count("")).isEqualTo(Answer.FINE);
            assertThat(form.seed("x").message())
                    .isEqualTo("seed: \"x\" is not allowed; use a whole number of 0 or more");
            assertThat(form.prompt(" ").ok()).isFalse();
            assertThat(form.prompt("a fox")).isEqualTo(Answer.FINE);
            assertThat(form.aspectRatio("30:9").message()).startsWith("aspectRatio: \"30:9\"");
            assertThat(form.aspectRatio(" ")).isEqualTo(Answer.FINE);
            assertThat(form.safetyTolerance("7").ok()).isFalse();
            assertThat(form.timeout("0").message()).startsWith("timeout: \"0\" is not allowed");
            assertThat(form.maxCost("5,00").message()).startsWith("maxCost: \"5,00\" is not allowed");
            assertThat(form.maxCost("0.50")).isEqualTo(Answer.FINE);
            assertThat(form.baseUrl("http://169.254.169.254").message()).contains("use an https URL");
            assertThat(form.outputDir("/etc").message()).startsWith("outputDir: \"/etc\"");
            assertThat(form.outputDir("")).isEqualTo(Answer.FINE);
            assertThat(form.fileNamePattern("{prefix}-{index}.{ext}")).isEqualTo(Answer.FINE);
            assertThat(form.fileNamePattern("{nope}").ok()).isFalse();
        }
    }

    @Test
    void onlyAFreestylePathWaitsForItsBuildVariables() {
        assertThat(StepForm.FREESTYLE.outputDir("out/$BUILD_NUMBER")).isEqualTo(new Answer(true, StepForm.deferred()));
        assertThat(StepForm.FREESTYLE.fileNamePattern("$JOB_BASE_NAME-{index}.{ext}"))
                .isEqualTo(new Answer(true, StepForm.deferred()));

        // A Pipeline step takes a $ literally, so the form says what its build would say now.
        assertThat(StepForm.PIPELINE
                        .fileNamePattern("$JOB_BASE_NAME-{index}.{ext}")
                        .ok())
                .isFalse();
        assertThat(StepForm.PIPELINE.outputDir("../$X").message()).startsWith("outputDir: \"../$X\"");
    }
}
