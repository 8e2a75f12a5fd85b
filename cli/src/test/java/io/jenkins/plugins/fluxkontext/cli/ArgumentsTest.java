package io.jenkins.plugins.fluxkontext.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ArgumentsTest {

    private static final List<Option> OPTIONS = List.of(
            Option.value("prompt", "TEXT", ""),
            Option.repeated("image", "PATH", ""),
            Option.value("count", "N", ""),
            Option.flag("json", ""));

    @Test
    void readsSpaceAndEqualsFormsFlagsAndRepeatedOptions() throws Exception {
        Arguments args = Arguments.parse(
                "edit",
                List.of("--prompt", "a cat", "--image=a.png", "--image", "b.png", "--count", "3", "--json"),
                OPTIONS);
        assertThat(args.value("prompt")).isEqualTo("a cat");
        assertThat(args.all("image")).containsExactly("a.png", "b.png");
        assertThat(args.number("count")).isEqualTo(3L);
        assertThat(args.has("json")).isTrue();
        assertThat(args.has("count")).isTrue();
        assertThat(args.value("seed")).isNull();
    }

    @Test
    void refusesWhatItDoesNotUnderstand() {
        assertThatThrownBy(() -> Arguments.parse("generate", List.of("--promt", "x"), OPTIONS))
                .hasMessageContaining("unknown option --promt")
                .hasMessageContaining("flux-kontext generate --help");
        assertThatThrownBy(() -> Arguments.parse("generate", List.of("--prompt"), OPTIONS))
                .hasMessageContaining("--prompt needs a value");
        assertThatThrownBy(() -> Arguments.parse("generate", List.of("--prompt", "--json"), OPTIONS))
                .hasMessageContaining("--prompt needs a value");
        assertThatThrownBy(() -> Arguments.parse("generate", List.of("stray"), OPTIONS))
                .hasMessageContaining("unexpected argument 'stray'");
        assertThatThrownBy(() -> Arguments.parse("generate", List.of("--count", "1", "--count", "2"), OPTIONS))
                .hasMessageContaining("more than once");
        assertThatThrownBy(() -> Arguments.parse("generate", List.of("--json=yes"), OPTIONS))
                .hasMessageContaining("takes no value");
        assertThatThrownBy(() -> Arguments.parse("generate", List.of("--count", "many"), OPTIONS)
                        .number("count"))
                .hasMessageContaining("whole number");
    }

    @Test
    void aKeyFlagIsRefusedWithoutEchoingItsValue() {
        for (String flag : List.of("--api-key", "--key", "--token")) {
            assertThatThrownBy(() -> Arguments.parse("generate", List.of(flag, "sk-very-secret"), OPTIONS))
                    .hasMessageContaining("FLUX_KONTEXT_API_KEY")
                    .hasMessageContaining("--api-key-file")
                    .hasMessageNotContaining("sk-very-secret");
        }
        assertThatThrownBy(() -> Arguments.parse("generate", List.of("--api-key=sk-very-secret"), OPTIONS))
                .hasMessageNotContaining("sk-very-secret");
    }
}
