package io.jenkins.plugins.fluxkontext.core.expand;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BuildVariablesTest {

    private final BuildVariables vars = new BuildVariables(Map.of(
            "BUILD_NUMBER", "42",
            "JOB_NAME", "banners",
            "BRAND", "Acme",
            "a.b", "dotted",
            "a", "A",
            "5", "five",
            "NESTED", "$BRAND and ${JOB_NAME}",
            "PRICE", "$9.99"));

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                "a poster for $BRAND                       | a poster for Acme",
                "a poster for ${BRAND}                     | a poster for Acme",
                "out/${JOB_NAME}-${BUILD_NUMBER}/img.png   | out/banners-42/img.png",
                "out/$JOB_NAME-$BUILD_NUMBER.png           | out/banners-42.png",
                "${BRAND}s and $BRANDs                     | Acmes and $BRANDs",
                "${a.b} but $a.b                           | dotted but A.b",
                "costs $$5 and $$BRAND and $${BRAND}       | costs $5 and $BRAND and ${BRAND}",
                "$$$$                                      | $$",
                "$UNKNOWN and ${UNKNOWN} stay              | $UNKNOWN and ${UNKNOWN} stay",
                "half off: $5 off, ${ }, ${}, ${BRAND, $   | half off: five off, ${ }, ${}, ${BRAND, $",
                "${a-b} and $-x and $ alone                | ${a-b} and $-x and $ alone",
                "values are not expanded again: $NESTED    | values are not expanded again: $BRAND and ${JOB_NAME}",
                "nor a dollar in a value: $PRICE$BRAND     | nor a dollar in a value: $9.99Acme",
                "no variables at all                       | no variables at all",
            })
    void expandsLikeJenkins(String text, String expected) {
        assertThat(vars.expand(text)).isEqualTo(expected);
    }

    @Test
    void nullStaysNullAndListsExpandInOrder() {
        assertThat(vars.expand(null)).isNull();
        assertThat(vars.expandAll(List.of("in/$BRAND.png", "in/${BUILD_NUMBER}.jpg")))
                .containsExactly("in/Acme.png", "in/42.jpg");
    }

    @Test
    void aCaseInsensitiveMapLikeEnvVarsMatchesNamesInAnyCase() {
        // hudson.EnvVars is a TreeMap ordered by String.CASE_INSENSITIVE_ORDER; its own lookup decides.
        Map<String, String> envVars = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        envVars.put("Brand", "Acme");

        assertThat(new BuildVariables(envVars).expand("$BRAND ${brand}")).isEqualTo("Acme Acme");
        assertThat(new BuildVariables(Map.of("Brand", "Acme")).expand("$BRAND")).isEqualTo("$BRAND");
    }
}
