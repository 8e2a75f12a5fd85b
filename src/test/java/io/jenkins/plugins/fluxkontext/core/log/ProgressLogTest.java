package io.jenkins.plugins.fluxkontext.core.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.fluxkontext.core.engine.GenerationResult;
import io.jenkins.plugins.fluxkontext.core.engine.ProgressEvent;
import io.jenkins.plugins.fluxkontext.core.model.ImageType;
import io.jenkins.plugins.fluxkontext.core.task.Billing;
import io.jenkins.plugins.fluxkontext.core.task.Cost;
import io.jenkins.plugins.fluxkontext.core.task.TaskHandle;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;
import io.jenkins.plugins.fluxkontext.core.task.WrittenImage;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressLogTest {

    private final List<String> lines = new ArrayList<>();
    private final Path workspace = Path.of("/ws");
    private final ProgressLog log = new ProgressLog(lines::add, 2, workspace);
    private final TaskHandle handle =
            TaskHandle.of("bfl", "a1b2", "https://api.bfl.ai/v1/get_result?id=a1b2", 1, Instant.EPOCH);
    private final WrittenImage image = new WrittenImage(
            1,
            workspace.resolve("out/flux-kontext-1.png"),
            workspace.resolve("out/flux-kontext-1.png.json"),
            ImageType.PNG,
            1024,
            1024,
            1_300_000,
            "ab",
            "a1b2",
            42L,
            Cost.reported(new BigDecimal("0.08")));

    @Test
    void aTaskTellsItsStoryInAFewLines() {
        log.on(new ProgressEvent.WaitingForSlot(2, 6, 6));
        log.on(new ProgressEvent.Submitted(1, handle));
        log.on(new ProgressEvent.StatusChanged(1, "a1b2", "Pending"));
        for (int percent : new int[] {5, 10, 30, 31, 20, 55, 80, 99}) {
            log.on(new ProgressEvent.Progress(1, "a1b2", percent));
        }
        log.on(new ProgressEvent.Retrying(1, "poll", "HTTP 503", Duration.ofMillis(1200)));
        log.on(new ProgressEvent.StatusChanged(1, "a1b2", "Ready"));
        log.on(new ProgressEvent.Downloaded(1, image));
        log.on(new ProgressEvent.Finished(1, new TaskOutcome.Succeeded(1, handle, List.of(image), 42L, null)));

        assertThat(lines)
                .containsExactly(
                        "[FLUX.1 Kontext] Task 2/2 waiting for a free slot: 6 of 6 in use",
                        "[FLUX.1 Kontext] Task 1/2 submitted to bfl, task id a1b2",
                        "[FLUX.1 Kontext] Task 1/2 is Pending",
                        "[FLUX.1 Kontext] Task 1/2 at 25%",
                        "[FLUX.1 Kontext] Task 1/2 at 50%",
                        "[FLUX.1 Kontext] Task 1/2 at 75%",
                        "[FLUX.1 Kontext] Task 1/2: poll failed (HTTP 503); retrying in 1.2 s",
                        "[FLUX.1 Kontext] Task 1/2 is Ready",
                        "[FLUX.1 Kontext] Task 1/2 wrote out/flux-kontext-1.png (1024x1024, 1.2 MB, seed 42)");
    }

    @Test
    void theSummaryNamesWhatFailedAndWhetherItWasBilled() {
        TaskHandle second = TaskHandle.of("bfl", "c3d4", null, 2, Instant.EPOCH);
        GenerationResult result = new GenerationResult(
                List.of(
                        new TaskOutcome.Succeeded(
                                1, handle, List.of(image), 42L, Cost.reported(new BigDecimal("0.08"))),
                        new TaskOutcome.Moderated(
                                2, second, TaskOutcome.ModerationSide.REQUEST, List.of(), Billing.NOT_BILLED)),
                workspace.resolve("out/flux-kontext-manifest.json"));

        log.summary(result, Duration.ofMillis(9400));

        assertThat(lines)
                .containsExactly(
                        "[FLUX.1 Kontext] 1 image written; 1 of 2 tasks did not succeed in 9.4 s; cost reported by the provider $0.08",
                        "[FLUX.1 Kontext]   Task c3d4: the request (prompt or input image) was moderated before generation."
                                + " Rephrase the prompt or change the input image, or raise the safety tolerance if policy allows. [not billed]",
                        "[FLUX.1 Kontext] Manifest: out/flux-kontext-manifest.json");
    }

    @Test
    void aFailedTaskIsNamedOnceAndAShortWaitIsNotShownAsNoWait() {
        ProgressLog single = new ProgressLog(lines::add, 1, workspace);
        single.on(new ProgressEvent.Retrying(1, "poll", "HTTP 503", Duration.ofMillis(40)));
        single.on(new ProgressEvent.Retrying(1, "submit", "connection refused", Duration.ZERO));
        single.on(
                new ProgressEvent.Finished(1, new TaskOutcome.Failed(1, handle, "Error", "it broke", Billing.BILLED)));

        assertThat(lines)
                .containsExactly(
                        "[FLUX.1 Kontext] Task: poll failed (HTTP 503); retrying in 40 ms",
                        "[FLUX.1 Kontext] Task: submit failed (connection refused); retrying at once",
                        "[FLUX.1 Kontext] Task a1b2 failed (Error): it broke");
    }

    @Test
    void aSimulatedRunSaysNothingWasBilled() {
        Cost simulated = Cost.reported(new BigDecimal("0.08")).asSimulated();
        GenerationResult result = new GenerationResult(
                List.of(new TaskOutcome.Succeeded(1, handle, List.of(image), 42L, simulated)),
                workspace.resolve("out/flux-kontext-manifest.json"),
                List.of(),
                true);

        new ProgressLog(lines::add, 1, workspace).summary(result, Duration.ofMillis(1900));

        assertThat(lines.get(0))
                .isEqualTo("[FLUX.1 Kontext] 1 image written in 1.9 s; simulated, nothing was billed"
                        + " (a real provider would have charged $0.08)");
    }
}
