package io.jenkins.plugins.fluxkontext.core.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.fluxkontext.core.model.AspectRatio;
import io.jenkins.plugins.fluxkontext.core.model.InvalidRequestException;
import io.jenkins.plugins.fluxkontext.core.model.OutputFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FileNamePatternTest {

    @Test
    void theDefaultPatternNumbersImagesWithTheFormatsExtension() {
        FileNamePattern pattern = FileNamePattern.compile(null, 3, OutputFormat.JPEG);
        assertThat(pattern.render("hero", 2, null, null, "flux-kontext-max", OutputFormat.JPEG))
                .isEqualTo("hero-2.jpg");
    }

    @Test
    void everyTokenIsFilledAndRemoteValuesAreReducedToSafeCharacters() {
        FileNamePattern pattern =
                FileNamePattern.compile("{prefix}_{model}_{seed}_{taskId}_{index}.{ext}", 2, OutputFormat.PNG);
        assertThat(pattern.render("spring sale", 1, 7L, "../../etc/passwd", "flux-kontext-max", OutputFormat.PNG))
                .isEqualTo("spring-sale_flux-kontext-max_7_etc-passwd_1.png");
        assertThat(pattern.render("p", 1, null, null, "m", OutputFormat.PNG)).isEqualTo("p_m_random_pending_1.png");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "../{index}.{ext}",
                "sub/{index}.{ext}",
                "a\\b-{index}.{ext}",
                ".hidden-{index}.{ext}",
                "{index}..{ext}",
                "{oops}-{index}.{ext}",
                "name with space-{index}.{ext}",
                "{index}.gif"
            })
    void patternsThatCouldEscapeTheFolderOrMisnameAreRefused(String bad) {
        assertThatThrownBy(() -> FileNamePattern.compile(bad, 2, OutputFormat.PNG))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("fileNamePattern");
    }

    @Test
    void severalImagesNeedADistinguishingToken() {
        assertThatThrownBy(() -> FileNamePattern.compile("hero.{ext}", 2, OutputFormat.PNG))
                .hasMessageContaining("with count 2 the pattern needs {index} or {taskId}");
        assertThat(FileNamePattern.compile("hero.png", 1, OutputFormat.PNG)
                        .render("x", 1, null, null, "m", OutputFormat.PNG))
                .isEqualTo("hero.png");
    }

    @Test
    void aVeryLongNameIsCutKeepingIndexAndExtension() {
        FileNamePattern pattern =
                FileNamePattern.compile("{prefix}{prefix}{prefix}{prefix}-{index}.{ext}", 1, OutputFormat.PNG);
        String name = pattern.render("x".repeat(64), 1, null, null, "m", OutputFormat.PNG);
        assertThat(name).hasSize(FileNamePattern.MAX_NAME_LENGTH).endsWith("-1.png");
    }

    @Test
    void severalFormatsAreToldApartByTheirFormatToken() {
        FileNamePattern defaults = FileNamePattern.compile(null, 1, 3, OutputFormat.PNG);
        assertThat(defaults.pattern()).isEqualTo(OutputPlan.DEFAULT_FORMATS_PATTERN);
        assertThat(defaults.render("hero", new AspectRatio(9, 16), 1, 7L, null, "m", OutputFormat.PNG))
                .isEqualTo("hero-9x16-1.png");
        assertThat(FileNamePattern.compile(OutputPlan.DEFAULT_PATTERN, 2, 2, OutputFormat.PNG)
                        .pattern())
                .as("the default names, told apart by format")
                .isEqualTo(OutputPlan.DEFAULT_FORMATS_PATTERN);
        assertThat(FileNamePattern.compile("{format}_{index}.{ext}", 1, OutputFormat.PNG)
                        .render("p", null, 1, null, null, "m", OutputFormat.PNG))
                .isEqualTo("auto_1.png");
        assertThatThrownBy(() -> FileNamePattern.compile("{prefix}-v2-{index}.{ext}", 1, 2, OutputFormat.PNG))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("with 2 aspect ratios the pattern needs {format} or {taskId}");
    }
}
