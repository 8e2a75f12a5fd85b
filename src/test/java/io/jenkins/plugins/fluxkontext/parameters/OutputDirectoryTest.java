package io.jenkins.plugins.fluxkontext.parameters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.fluxkontext.core.model.InvalidRequestException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class OutputDirectoryTest {

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"  ", ".", "./"})
    void blankMeansTheDefaultFolder(String value) {
        assertThat(OutputDirectory.normalize(value)).isEqualTo("flux-kontext");
    }

    @ParameterizedTest
    @CsvSource({
        "images, images",
        "out/campaign, out/campaign",
        "' out//campaign/ ', out/campaign",
        "out\\campaign, out/campaign",
        "./out/./x, out/x",
        "a..b, a..b",
    })
    void workspaceRelativeFoldersAreKeptInOneSpelling(String value, String expected) {
        assertThat(OutputDirectory.normalize(value)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/tmp/out",
                "C:\\out",
                "c:out",
                "\\\\server\\share",
                "..",
                "../out",
                "out/../../x",
                "out\\..\\..\\x",
                "~/out"
            })
    void absolutePathsAndClimbingOutAreRefusedNamingTheField(String value) {
        assertThatThrownBy(() -> OutputDirectory.normalize(value))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("outputDir")
                .hasMessageContaining(value)
                .hasMessageContaining("inside the workspace");
    }
}
