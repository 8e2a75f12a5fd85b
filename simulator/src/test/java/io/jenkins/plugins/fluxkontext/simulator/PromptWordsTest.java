package io.jenkins.plugins.fluxkontext.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PromptWordsTest {

    @Test
    void wordsAreReadAndRemovedFromTheDrawnText() {
        PromptWords words =
                PromptWords.parse("a fox [sim:latency=3s, fail] in snow [SIM:5xx-poll=4][sim:slow-body=250ms]");
        assertThat(words.text()).isEqualTo("a fox in snow");
        assertThat(words.script().faults())
                .containsExactlyInAnyOrder(Fault.FAIL, Fault.SERVER_ERROR_POLL, Fault.SLOW_BODY);
        assertThat(words.script().latency()).isEqualTo(Duration.ofSeconds(3));
        assertThat(words.script().failingPolls()).isEqualTo(4);
        assertThat(words.script().slowBody()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void aPromptWithoutWordsIsPlain() {
        PromptWords words = PromptWords.parse("just a [bracket] here");
        assertThat(words.text()).isEqualTo("just a [bracket] here");
        assertThat(words.script()).isEqualTo(TaskScript.PLAIN);
    }

    @Test
    void unknownWordsAndBadValuesAreErrorsNamingTheWord() {
        assertThatThrownBy(() -> PromptWords.parse("[sim:explode]"))
                .hasMessageContaining("'explode'")
                .hasMessageContaining("moderate-output");
        assertThatThrownBy(() -> PromptWords.parse("[sim:latency=soon]")).hasMessageContaining("250ms");
        assertThatThrownBy(() -> PromptWords.parse("[sim:fail=yes]")).hasMessageContaining("takes no value");
    }
}
