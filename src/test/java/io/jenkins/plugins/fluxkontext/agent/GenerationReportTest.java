package io.jenkins.plugins.fluxkontext.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.jenkins.plugins.fluxkontext.agent.GenerationReport.TaskState;
import io.jenkins.plugins.fluxkontext.core.engine.GenerationResult;
import io.jenkins.plugins.fluxkontext.core.model.ImageType;
import io.jenkins.plugins.fluxkontext.core.task.Billing;
import io.jenkins.plugins.fluxkontext.core.task.Cost;
import io.jenkins.plugins.fluxkontext.core.task.TaskHandle;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;
import io.jenkins.plugins.fluxkontext.core.task.WrittenImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

public class GenerationReportTest {

    public static final Path WORKSPACE = Path.of("/agent/workspace/job");

    public static TaskHandle handle(int index, String id) {
        return TaskHandle.of("bfl", id, "https://api.eu1.bfl.ai/v1/get_result?id=" + id, index, Instant.EPOCH);
    }

    public static TaskOutcome.Succeeded succeeded(int index, String id, Cost cost) {
        Path file = WORKSPACE.resolve("flux-kontext/flux-kontext-7-" + index + ".png");
        WrittenImage image = new WrittenImage(
                index, file, Path.of(file + ".json"), ImageType.PNG, 1024, 768, 1234, "ab12", id, 41L + index, cost);
        return new TaskOutcome.Succeeded(index, handle(index, id), List.of(image), 41L + index, cost);
    }

    public static GenerationResult result(TaskOutcome... outcomes) {
        return new GenerationResult(List.of(outcomes), WORKSPACE.resolve("flux-kontext/manifest.json"), List.of());
    }

    @Test
    void returnsOneMapPerImageWithWorkspaceRelativePaths() {
        GenerationReport report = GenerationReport.of(
                result(succeeded(1, "t-1", Cost.reported(new BigDecimal("0.08"))), succeeded(2, "t-2", null)),
                WORKSPACE,
                "bfl",
                "flux-kontext-max");

        List<Map<String, Object>> maps = report.toStepResult();

        assertThat(maps).hasSize(2);
        assertThat(maps.get(0))
                .containsExactly(
                        entry("path", "flux-kontext/flux-kontext-7-1.png"),
                        entry("taskId", "t-1"),
                        entry("seed", 42L),
                        entry("width", 1024),
                        entry("height", 768),
                        entry("sha256", "ab12"),
                        entry("format", "png"),
                        entry("aspectRatio", null),
                        entry("reused", false),
                        entry("provider", "bfl"),
                        entry("model", "flux-kontext-max"),
                        entry("cost", new BigDecimal("0.08")));
        assertThat(maps.get(1)).doesNotContainKey("cost").containsEntry("taskId", "t-2");
    }

    @Test
    void archivesImagesTheirSidecarsAndTheManifestUnderTheirWorkspacePaths() {
        GenerationReport report = GenerationReport.of(result(succeeded(1, "t-1", null)), WORKSPACE, "bfl", "m");

        assertThat(report.artifacts())
                .containsExactly(
                        entry("flux-kontext/flux-kontext-7-1.png", "flux-kontext/flux-kontext-7-1.png"),
                        entry("flux-kontext/flux-kontext-7-1.png.json", "flux-kontext/flux-kontext-7-1.png.json"),
                        entry("flux-kontext/manifest.json", "flux-kontext/manifest.json"));
    }

    @Test
    void keepsEveryTaskIdAndPollingUrlIncludingFailures() {
        GenerationReport report = GenerationReport.of(
                result(
                        succeeded(1, "t-1", null),
                        new TaskOutcome.Failed(2, handle(2, "t-2"), "Error", "GPU fell over", Billing.BILLED),
                        new TaskOutcome.SubmitAmbiguous(3, null, "read timed out")),
                WORKSPACE,
                "bfl",
                "m");

        assertThat(report.tasks())
                .extracting(GenerationReport.TaskRecord::taskId)
                .containsExactly("t-1", "t-2", null);
        assertThat(report.tasks())
                .extracting(GenerationReport.TaskRecord::state)
                .containsExactly(TaskState.SUCCEEDED, TaskState.FAILED, TaskState.SUBMIT_AMBIGUOUS);
        assertThat(report.tasks().get(1).pollingUrl()).isEqualTo("https://api.eu1.bfl.ai/v1/get_result?id=t-2");
        assertThat(report.failures()).hasSize(2);
    }

    @Test
    void crossesTheAgentChannelAsPlainJavaSerialization() throws IOException {
        GenerationReport report =
                GenerationReport.of(result(succeeded(1, "t-1", Cost.reported(BigDecimal.ONE))), WORKSPACE, "bfl", "m");
        try (ObjectOutputStream out = new ObjectOutputStream(new ByteArrayOutputStream())) {
            out.writeObject(report);
        }
    }
}
