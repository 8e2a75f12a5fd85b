package io.jenkins.plugins.fluxkontext.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** One creative in several formats: how a request of several aspect ratios numbers, seeds and splits its images. */
class FormatsTest {

    private static GenerationRequest campaign() {
        return GenerationRequest.builder()
                .prompt("Hero shot")
                .aspectRatios(List.of("1:1", "9:16", "16:9"))
                .count(2)
                .seed(100L)
                .build();
    }

    @Test
    void imagesAreNumberedFormatAfterFormatEachFormatStartingAtTheSeed() {
        GenerationRequest request = campaign();

        assertThat(request.imageCount()).isEqualTo(6);
        assertThat(request.formatCount()).isEqualTo(3);
        assertThat(List.of(1, 2, 3, 4, 5, 6))
                .extracting(i -> request.formatOfImage(i).toString())
                .containsExactly("1:1", "1:1", "9:16", "9:16", "16:9", "16:9");
        assertThat(List.of(1, 2, 3, 4, 5, 6)).extracting(request::indexInFormat).containsExactly(1, 2, 1, 2, 1, 2);
        assertThat(List.of(0, 1, 2, 3, 4, 5))
                .extracting(request::seedForImage)
                .containsExactly(100L, 101L, 100L, 101L, 100L, 101L);
    }

    @Test
    void aProviderIsOnlyEverSentOneFormat() {
        GenerationRequest request = campaign();

        assertThat(request.formats())
                .extracting(f -> f.aspectRatio().toString())
                .containsExactly("1:1", "9:16", "16:9");
        assertThat(request.formats()).allSatisfy(f -> {
            assertThat(f.count()).isEqualTo(2);
            assertThat(f.prompt()).isEqualTo("Hero shot");
            assertThat(f.seed()).isEqualTo(100L);
        });
        assertThatThrownBy(request::aspectRatio)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("formats()");
    }

    @Test
    void anImageAloneIsItsFormatItsSeedAndOneImage() {
        GenerationRequest fourth = campaign().forImage(4);

        assertThat(fourth.aspectRatio()).isEqualTo(new AspectRatio(9, 16));
        assertThat(fourth.seed()).isEqualTo(101L);
        assertThat(fourth.count()).isEqualTo(1);
        assertThat(fourth.toBuilder().build()).isEqualTo(fourth);
    }

    @Test
    void oneFormatOrNoneBehavesAsBefore() {
        GenerationRequest one = GenerationRequest.builder()
                .prompt("p")
                .aspectRatios(List.of("3:2", " "))
                .build();
        GenerationRequest none = GenerationRequest.builder().prompt("p").build();

        assertThat(one.aspectRatio()).isEqualTo(new AspectRatio(3, 2));
        assertThat(one.formats()).containsExactly(one);
        assertThat(none.aspectRatios()).isEmpty();
        assertThat(none.formatOfImage(1)).isNull();
        assertThat(none.formats()).containsExactly(none);
        assertThat(one.toBuilder().build()).isEqualTo(one);
    }

    @Test
    void eachFormatOnceAndAtMost24ImagesInAllEveryProblemNamed() {
        assertThatThrownBy(() -> GenerationRequest.builder()
                        .prompt("p")
                        .aspectRatios(List.of("1:1", "30:9", "2:2"))
                        .build())
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("aspectRatios[2]: \"30:9\" is not allowed")
                .hasMessageContaining("aspectRatios[3]: \"2:2\" is not allowed; the shape of 1:1 is asked for already");
        assertThatThrownBy(() -> GenerationRequest.builder()
                        .prompt("p")
                        .aspectRatios(List.of("1:1", "9:16", "16:9"))
                        .count(9)
                        .build())
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("count: \"9 in each of 3 formats\" is not allowed; at most 24 images");
    }
}
