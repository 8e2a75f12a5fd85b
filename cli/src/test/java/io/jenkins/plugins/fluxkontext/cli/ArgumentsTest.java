package io.jenkins.plugins.fluxkontext.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
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
    void refusesWhatItDoesNotUnderstandAndListsItAll() {
        assertThat(Arguments.parse("generate", List.of("--promt", "x"), OPTIONS).problems())
                .containsExactly("unknown option --promt; did you mean --prompt?");
        assertThat(Arguments.parse("generate", List.of("--colour", "red"), OPTIONS)
                        .problems())
                .containsExactly(
                        "unknown option --colour for generate (flux-kontext generate --help lists the options)");
        assertThat(Arguments.parse(
                                "generate",
                                List.of("stray", "--count", "1", "--count", "2", "--json=yes", "--prompt"),
                                OPTIONS)
                        .problems())
                .containsExactly(
                        "unexpected argument 'stray'; options start with -- (flux-kontext generate --help lists them)",
                        "--count was given more than once",
                        "--json takes no value",
                        "--prompt needs a value (TEXT)");
        assertThat(Arguments.parse("generate", List.of("--prompt", "--json"), OPTIONS)
                        .problems())
                .containsExactly("--prompt needs a value (TEXT)");
        assertThatThrownBy(() -> Arguments.parse("generate", List.of("--count", "many"), OPTIONS)
                        .number("count"))
                .hasMessageContaining("whole number");
        assertThatThrownBy(() -> Arguments.parse("simulate", List.of("--prmpt", "1"), OPTIONS)
                        .understood())
                .isInstanceOf(UsageException.class)
                .hasMessage("unknown option --prmpt; did you mean --prompt?");
    }

    @Test
    void helpIsGivenEvenWhenSomethingElseIsWrong() {
        List<Option> withHelp = new ArrayList<>(OPTIONS);
        withHelp.add(Option.flag("help", ""));
        Arguments args = Arguments.parse("generate", List.of("--colour", "--help"), withHelp);
        assertThat(args.has("help")).isTrue();
    }

    @Test
    void aKeyFlagIsRefusedWithoutEchoingItsValue() {
        for (String flag : List.of("--api-key", "--key", "--token")) {
            List<String> problems = Arguments.parse("generate", List.of(flag, "sk-very-secret"), OPTIONS)
                    .problems();
            assertThat(problems).hasSize(1);
            assertThat(problems.get(0))
                    .contains("FLUX_KONTEXT_API_KEY")
                    .contains("--api-key-file")
                    .doesNotContain("sk-very-secret");
        }
        assertThat(Arguments.parse("generate", List.of("--api-key=sk-very-secret"), OPTIONS)
                        .problems()
                        .toString())
                .doesNotContain("sk-very-secret");
    }
}
