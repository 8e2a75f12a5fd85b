package io.jenkins.plugins.fluxkontext.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.fluxkontext.core.TestImages;
import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
import io.jenkins.plugins.fluxkontext.core.output.OutputPlan;
import io.jenkins.plugins.fluxkontext.core.reuse.ReuseFolder;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;
import io.jenkins.plugins.fluxkontext.core.task.WrittenImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Images an earlier run made, taken instead of paying again: nothing at all goes to the provider for them, not even
 * after an interruption, and a copy that is not what was recorded is made again.
 */
class ReuseStoriesTest extends EngineStory {

    /** {@code reuse} {@code null}: every image is made. */
    private GenerationJob job(GenerationRequest request, String folder, ReuseFolder reuse) {
        GenerationJob plain = job(request, OutputPlan.into(out.resolve(folder)));
        return new GenerationJob(request, plain.endpoint(), plain.apiKey(), plain.output(), reuse);
    }

    private ReuseFolder keptFrom(GenerationResult result) throws Exception {
        ReuseFolder cache = new ReuseFolder(out.resolve("cache"));
        for (WrittenImage image : result.images()) {
            cache.keep(image, "build #1");
        }
        return cache;
    }

    @Test
    void aReusedTaskSendsNothingAndSaysWhereItsImageCameFrom() throws Exception {
        GenerationRequest request = prompt().seed(5L).count(2).build();
        ReuseFolder cache = keptFrom(run(job(request, "first", null)));
        int requests = bfl.requests().size();

        GenerationResult second = run(job(request, "second", cache));

        assertThat(bfl.requests()).as("no request of any kind").hasSize(requests);
        assertThat(second.outcomes()).allSatisfy(o -> {
            assertThat(o).isInstanceOf(TaskOutcome.Reused.class);
            assertThat(o.billing().name()).isEqualTo("NOT_BILLED");
            assertThat(o.message()).contains("reused 1 image from build #1", "nothing was sent or billed");
        });
        assertThat(events(ProgressEvent.Reused.class))
                .extracting(e -> e.image().reusedFrom())
                .containsExactly("build #1", "build #1");
        assertThat(events(ProgressEvent.Submitted.class)).hasSize(2).as("only the first run's");
        assertThat(second.taskIds()).isEmpty();
    }

    @Test
    void afterAnInterruptionATaskThatReusedItsImageIsTakenFromDiskWithoutARequest() throws Exception {
        GenerationRequest request = prompt().seed(5L).build();
        ReuseFolder cache = keptFrom(run(job(request, "first", null)));
        GenerationJob second = job(request, "second", cache);
        run(second);
        int requests = bfl.requests().size();

        // The run's result was lost (a restart); no handle was ever saved, since nothing was submitted.
        GenerationResult resumed = recorded(() -> engine.resume(second, ResumePoint.of(List.of(), null), events::add));

        assertThat(resumed.outcomes()).singleElement().isInstanceOf(TaskOutcome.Reused.class);
        assertThat(resumed.images())
                .singleElement()
                .satisfies(i -> assertThat(i.reusedFrom()).isEqualTo("build #1"));
        assertThat(bfl.requests()).hasSize(requests);
    }

    @Test
    void aKeptImageThatWasReplacedIsMadeAgainUnderItsOwnName() throws Exception {
        GenerationRequest request = prompt().seed(5L).build();
        GenerationResult first = run(job(request, "first", null));
        ReuseFolder cache = keptFrom(first);
        Path kept = out.resolve("cache").resolve(first.images().get(0).fingerprint() + ".png");
        Files.write(kept, TestImages.png(9, 9));

        GenerationResult second = run(job(request, "second", cache));

        assertThat(second.outcomes()).singleElement().isInstanceOf(TaskOutcome.Succeeded.class);
        assertThat(second.images())
                .extracting(i -> i.file().getFileName().toString())
                .containsExactly("flux-kontext-1.png");
        assertThat(second.warnings()).singleElement().asString().contains("was not reused", "made again");
        assertThat(bfl.submits()).isEqualTo(2);
    }
}
