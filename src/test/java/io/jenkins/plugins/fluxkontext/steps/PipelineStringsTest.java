package io.jenkins.plugins.fluxkontext.steps;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Groovy has interpolated a Pipeline step's strings already: a {@code $} in them is meant literally. */
class PipelineStringsTest {

    @Test
    void aPipelineStepTakesItsStringsLiterally() {
        FluxKontextGenerateStep step = new FluxKontextGenerateStep("price: $5 for ${NAME}");

        assertThat(step.settings().prompt()).isEqualTo("price: $5 for ${NAME}");
    }
}
