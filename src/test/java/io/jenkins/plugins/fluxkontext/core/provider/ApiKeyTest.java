package io.jenkins.plugins.fluxkontext.core.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The key is masked wherever it turns up, in any letter case, and a key no header could carry is refused. */
class ApiKeyTest {

    private static final ApiKey KEY = ApiKey.of("bfl-sk-Mixed-CASE-42");

    @Test
    void h01_theKeyIsMaskedInAnyLetterCaseAsAHostNameComesBackLowerCased() {
        assertThat(KEY.scrub("unknown host bfl-sk-mixed-case-42.invalid; key BFL-SK-MIXED-CASE-42"))
                .isEqualTo("unknown host ****.invalid; key ****");
    }

    @Test
    void h11_aKeyWithALineBreakInsideIsRefusedWithoutEchoingIt() {
        assertThatThrownBy(() -> ApiKey.of("bfl-sk-first\nbfl-sk-second"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line break")
                .hasMessageNotContaining("first");
        assertThat(ApiKey.of("  bfl-sk-pasted\n").reveal()).isEqualTo("bfl-sk-pasted");
    }
}
