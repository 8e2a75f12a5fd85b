package io.jenkins.plugins.fluxkontext.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DidYouMeanTest {

    private static final List<String> FLAGS =
            RequestCommand.options(true).stream().map(Option::name).toList();

    @Test
    void everyOneLetterSlipOfEveryFlagFindsThatFlag() {
        for (String flag : FLAGS) {
            for (String typo : oneLetterSlips(flag)) {
                assertThat(DidYouMean.among(typo, FLAGS)).as(typo).contains(flag);
            }
        }
    }

    @Test
    void theJenkinsNamesOfAFieldFindTheFlag() {
        assertThat(DidYouMean.among("aspectRatio", FLAGS)).contains("aspect-ratio");
        assertThat(DidYouMean.among("safetyTolerance", FLAGS)).contains("safety-tolerance");
        assertThat(DidYouMean.among("baseUrl", FLAGS)).contains("base-url");
    }

    @Test
    void aWordFarFromEveryFlagFindsNone() {
        assertThat(DidYouMean.among("colour", FLAGS)).isEmpty();
        assertThat(DidYouMean.among("x", FLAGS)).isEmpty();
        assertThat(DidYouMean.among("paint", List.of("generate", "edit", "simulate", "demo")))
                .isEmpty();
    }

    /** The word with one letter dropped, doubled, replaced, or swapped with its neighbour. */
    private static List<String> oneLetterSlips(String word) {
        List<String> slips = new ArrayList<>();
        for (int i = 0; i < word.length(); i++) {
            slips.add(word.substring(0, i) + word.substring(i + 1));
            slips.add(word.substring(0, i) + word.charAt(i) + word.substring(i));
            slips.add(word.substring(0, i) + (word.charAt(i) == 'q' ? 'z' : 'q') + word.substring(i + 1));
            if (i + 1 < word.length()) {
                slips.add(word.substring(0, i) + word.charAt(i + 1) + word.charAt(i) + word.substring(i + 2));
            }
        }
        slips.remove(word);
        return slips;
    }
}
