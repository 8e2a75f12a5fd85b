package io.jenkins.plugins.fluxkontext.core.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.fluxkontext.core.TestImages;
import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
import io.jenkins.plugins.fluxkontext.core.model.InputImage;
import io.jenkins.plugins.fluxkontext.core.model.InvalidRequestException;
import io.jenkins.plugins.fluxkontext.core.task.Billing;
import io.jenkins.plugins.fluxkontext.core.task.Cost;
import io.jenkins.plugins.fluxkontext.core.task.TaskHandle;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;
import io.jenkins.plugins.fluxkontext.core.task.WrittenImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputWriterTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path workspace;

    private final GenerationRequest request = GenerationRequest.builder()
            .prompt("a lighthouse at dusk")
            .seed(7L)
            .count(2)
            .build();

    private static ImageProvenance provenance(int index, String taskId) {
        return new ImageProvenance(
                index,
                "bfl",
                taskId,
                1234L,
                Cost.reported(new BigDecimal("0.08")),
                Instant.parse("2026-11-21T10:00:00Z"),
                Instant.parse("2026-11-21T10:00:09Z"),
                "https://delivery.example/sample.png");
    }

    private OutputWriter writer(OutputPlan plan) {
        return new OutputWriter(plan, request, "bfl");
    }

    @Test
    void anImageLandsUnderItsPlannedNameWithASidecarTellingWhereItCameFrom() throws Exception {
        Path out = workspace.resolve("flux-kontext");
        OutputWriter writer = writer(OutputPlan.into(out));
        writer.checkBeforeSubmit();
        byte[] png = TestImages.png(64, 48);

        WrittenImage image = writer.write(provenance(1, "task-abc"), new ByteArrayInputStream(png));

        assertThat(image.file()).isEqualTo(out.resolve("flux-kontext-1.png"));
        assertThat(Files.readAllBytes(image.file())).isEqualTo(png);
        assertThat(image.width()).isEqualTo(64);
        assertThat(image.height()).isEqualTo(48);
        assertThat(image.sha256())
                .isEqualTo(HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256").digest(png)));
        assertThat(image.seed()).isEqualTo(1234L);
        JsonNode sidecar = JSON.readTree(image.sidecar().toFile());
        assertThat(image.sidecar()).isEqualTo(out.resolve("flux-kontext-1.png.json"));
        assertThat(sidecar.get("taskId").asText()).isEqualTo("task-abc");
        assertThat(sidecar.get("provider").asText()).isEqualTo("bfl");
        assertThat(sidecar.get("seedRequested").asLong()).isEqualTo(7L);
        assertThat(sidecar.get("seedReturned").asLong()).isEqualTo(1234L);
        assertThat(sidecar.get("sha256").asText()).isEqualTo(image.sha256());
        assertThat(sidecar.get("request").get("prompt").asText()).isEqualTo("a lighthouse at dusk");
        assertThat(sidecar.get("request").get("model").asText()).isEqualTo("flux-kontext-max");
        assertThat(sidecar.get("costUsd").decimalValue()).isEqualByComparingTo("0.08");
        assertThat(sidecar.get("submittedAt").asText()).isEqualTo("2026-11-21T10:00:00Z");
        assertThat(partialFiles(out)).isEmpty();
    }

    @Test
    void imagesAndSidecarsGetTheSamePermissionsAsAnyNewFileInTheFolder() throws Exception {
        Assumptions.assumeTrue(
                workspace.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path ordinary = Files.createFile(workspace.resolve("ordinary.txt"));
        OutputWriter writer = writer(OutputPlan.into(workspace));

        WrittenImage image = writer.write(provenance(1, "t"), new ByteArrayInputStream(TestImages.png(8, 8)));

        assertThat(Files.getPosixFilePermissions(image.file())).isEqualTo(Files.getPosixFilePermissions(ordinary));
        assertThat(Files.getPosixFilePermissions(image.sidecar())).isEqualTo(Files.getPosixFilePermissions(ordinary));
    }

    @Test
    void jpegDimensionsComeFromTheFrameHeader() throws Exception {
        GenerationRequest jpegRequest =
                GenerationRequest.builder().prompt("p").outputFormat("jpeg").build();
        OutputWriter writer = new OutputWriter(OutputPlan.into(workspace), jpegRequest, "bfl");

        WrittenImage image = writer.write(provenance(1, "t"), new ByteArrayInputStream(TestImages.jpeg(40, 30)));

        assertThat(image.file().getFileName().toString()).isEqualTo("flux-kontext-1.jpg");
        assertThat(image.width()).isEqualTo(40);
        assertThat(image.height()).isEqualTo(30);
    }

    @Test
    void anHtmlPageWhereAnImageWasPromisedIsRefusedAndLeavesNothing() throws Exception {
        OutputWriter writer = writer(OutputPlan.into(workspace));
        byte[] html = "<html><body>AccessDenied</body></html>".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> writer.write(provenance(1, "t"), new ByteArrayInputStream(html)))
                .isInstanceOf(ImageRejectedException.class)
                .hasMessage("expected a PNG image but received an HTML or XML page");
        assertThat(leftovers(workspace)).isEmpty();
    }

    @Test
    void aJpegWhereAPngWasAskedForIsRefused() {
        OutputWriter writer = writer(OutputPlan.into(workspace));
        assertThatThrownBy(() -> writer.write(provenance(1, "t"), new ByteArrayInputStream(TestImages.jpeg(8, 8))))
                .hasMessage("expected a PNG image but received JPEG");
    }

    @Test
    void aTruncatedImageIsRefusedEvenWhenTheStreamEndedCleanly() throws Exception {
        OutputWriter writer = writer(OutputPlan.into(workspace));
        byte[] png = TestImages.png(32, 32);
        byte[] cut = Arrays.copyOf(png, png.length - 20);

        assertThatThrownBy(() -> writer.write(provenance(1, "t"), new ByteArrayInputStream(cut)))
                .isInstanceOf(ImageRejectedException.class)
                .hasMessageContaining("truncated");
        assertThat(leftovers(workspace)).isEmpty();
    }

    @Test
    void aStreamThatBreaksMidwayLeavesNoPartialFile() throws Exception {
        OutputWriter writer = writer(OutputPlan.into(workspace));
        byte[] png = TestImages.png(32, 32);
        InputStream breaking = new InputStream() {
            private int served;

            @Override
            public int read() throws IOException {
                if (served == png.length / 2) {
                    throw new IOException("unexpected end of stream");
                }
                return png[served++] & 0xFF;
            }
        };

        assertThatThrownBy(() -> writer.write(provenance(1, "t"), breaking)).hasMessage("unexpected end of stream");
        assertThat(leftovers(workspace)).isEmpty();
    }

    @Test
    void aBodyOverTheCapIsCutOff() {
        OutputWriter writer = writer(OutputPlan.into(workspace).withMaxImageBytes(100));
        assertThatThrownBy(() -> writer.write(provenance(1, "t"), new ByteArrayInputStream(TestImages.png(64, 64))))
                .isInstanceOf(ImageRejectedException.class)
                .hasMessageContaining("exceeds the limit of 100 bytes");
    }

    @Test
    void anExistingFileStopsTheRequestBeforeAnythingIsPaidFor() throws Exception {
        Files.write(workspace.resolve("flux-kontext-2.png"), new byte[] {1, 2, 3});
        OutputWriter writer = writer(OutputPlan.into(workspace));

        assertThatThrownBy(writer::checkBeforeSubmit)
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("flux-kontext-2.png")
                .hasMessageContaining("the file exists and is not replaced");
        assertThat(Files.readAllBytes(workspace.resolve("flux-kontext-2.png"))).containsExactly(1, 2, 3);
    }

    @Test
    void keepBothWritesBesideTheOldFileAndSaysSo() throws Exception {
        Files.write(workspace.resolve("flux-kontext-1.png"), new byte[] {1, 2, 3});
        OutputWriter writer = writer(OutputPlan.into(workspace).withExistingFiles(ExistingFilePolicy.KEEP_BOTH));
        writer.checkBeforeSubmit();

        WrittenImage image = writer.write(provenance(1, "t"), new ByteArrayInputStream(TestImages.png(8, 8)));

        assertThat(image.file().getFileName().toString()).isEqualTo("flux-kontext-1-2.png");
        assertThat(Files.readAllBytes(workspace.resolve("flux-kontext-1.png"))).containsExactly(1, 2, 3);
        assertThat(writer.notes()).containsExactly("flux-kontext-1.png exists; kept it and wrote flux-kontext-1-2.png");
    }

    @Test
    void overwriteReplacesOnlyWhenAskedAndSaysSo() throws Exception {
        Files.write(workspace.resolve("flux-kontext-1.png"), new byte[] {1, 2, 3});
        OutputWriter writer = writer(OutputPlan.into(workspace).withExistingFiles(ExistingFilePolicy.OVERWRITE));
        byte[] png = TestImages.png(8, 8);

        WrittenImage image = writer.write(provenance(1, "t"), new ByteArrayInputStream(png));

        assertThat(image.file().getFileName().toString()).isEqualTo("flux-kontext-1.png");
        assertThat(Files.readAllBytes(image.file())).isEqualTo(png);
        assertThat(writer.notes()).singleElement().asString().contains("Replaced flux-kontext-1.png");
    }

    @Test
    void aSymbolicLinkWhereAnImageGoesIsNeverWrittenThrough() throws Exception {
        Path outside = Files.writeString(workspace.resolve("precious.txt"), "keep me");
        Path out = Files.createDirectories(workspace.resolve("out"));
        Files.createSymbolicLink(out.resolve("flux-kontext-1.png"), outside);
        OutputWriter writer = writer(OutputPlan.into(out).withExistingFiles(ExistingFilePolicy.OVERWRITE));

        assertThatThrownBy(writer::checkBeforeSubmit)
                .hasMessageContaining("a symbolic link stands where an image goes");
        assertThat(Files.readString(outside)).isEqualTo("keep me");
    }

    @Test
    void twoTasksNamedAlikeByTaskIdNeverOverwriteEachOther() throws Exception {
        OutputWriter writer = new OutputWriter(
                OutputPlan.into(workspace).withPattern("{taskId}.{ext}").withExistingFiles(ExistingFilePolicy.FAIL),
                GenerationRequest.builder().prompt("p").count(2).build(),
                "bfl");

        WrittenImage first = writer.write(provenance(1, "same"), new ByteArrayInputStream(TestImages.png(8, 8)));
        WrittenImage second = writer.write(provenance(2, "same"), new ByteArrayInputStream(TestImages.png(9, 9)));

        assertThat(first.file()).isNotEqualTo(second.file());
        assertThat(first.file()).exists();
        assertThat(second.file()).exists();
    }

    @Test
    void theManifestListsEveryTaskWithItsImagesAndHowItEnded() throws Exception {
        Path input = Files.write(workspace.resolve("in.png"), TestImages.png(4, 4));
        GenerationRequest edit = GenerationRequest.builder()
                .prompt("make it night")
                .count(2)
                .inputImage(new InputImage.LocalFile(input))
                .build();
        Path out = workspace.resolve("out");
        OutputWriter writer = new OutputWriter(OutputPlan.into(out).withPrefix("night"), edit, "bfl");
        writer.checkBeforeSubmit();
        WrittenImage image = writer.write(provenance(1, "ok-1"), new ByteArrayInputStream(TestImages.png(8, 8)));
        TaskHandle handle1 = TaskHandle.of("bfl", "ok-1", "https://api.example/poll?id=ok-1", 1, Instant.EPOCH);
        TaskHandle handle2 = TaskHandle.of("bfl", "mod-2", "https://api.example/poll?id=mod-2", 2, Instant.EPOCH);
        List<TaskOutcome> outcomes = List.of(
                new TaskOutcome.Succeeded(1, handle1, List.of(image), 1234L, Cost.reported(new BigDecimal("0.08"))),
                new TaskOutcome.Moderated(
                        2, handle2, TaskOutcome.ModerationSide.OUTPUT, List.of(), Billing.NOT_BILLED));

        Path manifest = writer.writeManifest(outcomes);

        assertThat(manifest).isEqualTo(out.resolve("night-manifest.json"));
        JsonNode json = JSON.readTree(manifest.toFile());
        assertThat(json.at("/request/prompt").asText()).isEqualTo("make it night");
        assertThat(json.at("/request/inputImages/0/sha256").asText())
                .isEqualTo(HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(input))));
        assertThat(json.at("/tasks/0/images/0/file").asText()).isEqualTo("night-1.png");
        assertThat(json.at("/tasks/1/outcome").asText()).isEqualTo("Moderated");
        assertThat(json.at("/tasks/1/billing").asText()).isEqualTo("NOT_BILLED");
        assertThat(json.at("/totals/images").asInt()).isEqualTo(1);
        assertThat(json.at("/totals/costUsd").decimalValue()).isEqualByComparingTo("0.08");
    }

    @Test
    void aManifestLeftByAnEarlierRunIsKeptAndTheNewOneWrittenBesideIt() throws Exception {
        // A moderated run writes no image but leaves its manifest; the next run in the same folder must not be refused.
        Files.writeString(workspace.resolve("flux-kontext-manifest.json"), "{\"earlier\":true}");
        OutputWriter writer = writer(OutputPlan.into(workspace));
        writer.checkBeforeSubmit();
        WrittenImage image = writer.write(provenance(1, "t-1"), new ByteArrayInputStream(TestImages.png(8, 8)));
        TaskHandle handle = TaskHandle.of("bfl", "t-1", "https://api.example/poll?id=t-1", 1, Instant.EPOCH);

        Path manifest =
                writer.writeManifest(List.of(new TaskOutcome.Succeeded(1, handle, List.of(image), 1234L, null)));

        assertThat(manifest).isEqualTo(workspace.resolve("flux-kontext-manifest-2.json"));
        assertThat(Files.readString(workspace.resolve("flux-kontext-manifest.json")))
                .isEqualTo("{\"earlier\":true}");
        assertThat(writer.notes())
                .containsExactly("flux-kontext-manifest.json exists; kept it and wrote flux-kontext-manifest-2.json");
    }

    @Test
    void filesOfASimulatedRunSaySoAndTheirCostIsTheSimulators() throws Exception {
        OutputWriter writer = writer(OutputPlan.into(workspace));
        writer.markSimulated();
        ImageProvenance simulatedCost = new ImageProvenance(
                1,
                "bfl",
                "sim-1",
                1L,
                Cost.reported(new BigDecimal("0.08")).asSimulated(),
                Instant.EPOCH,
                Instant.EPOCH,
                "http://127.0.0.1:1/results/x.png");
        WrittenImage image = writer.write(simulatedCost, new ByteArrayInputStream(TestImages.png(8, 8)));
        TaskHandle handle =
                TaskHandle.of("bfl", "sim-1", "http://127.0.0.1:1/v1/get_result?id=sim-1", 1, Instant.EPOCH);
        Path manifest = writer.writeManifest(
                List.of(new TaskOutcome.Succeeded(1, handle, List.of(image), 1L, simulatedCost.cost())));

        JsonNode sidecar = JSON.readTree(image.sidecar().toFile());
        assertThat(sidecar.get("simulated").asBoolean()).isTrue();
        assertThat(sidecar.get("costSource").asText()).isEqualTo("simulator");
        JsonNode json = JSON.readTree(manifest.toFile());
        assertThat(json.get("simulated").asBoolean()).isTrue();
        assertThat(json.at("/totals/costSource").asText()).isEqualTo("simulator");
        assertThat(JSON.readTree(writer(OutputPlan.into(workspace.resolve("real")))
                                .write(provenance(1, "real-1"), new ByteArrayInputStream(TestImages.png(8, 8)))
                                .sidecar()
                                .toFile())
                        .has("simulated"))
                .as("a real provider's files carry no such mark")
                .isFalse();
    }

    /** Temporary files and images: after a failed write there must be neither. */
    private static List<Path> leftovers(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".part")
                            || (Files.isRegularFile(p)
                                    && p.getFileName().toString().endsWith(".png")))
                    .toList();
        }
    }

    private static List<Path> partialFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".part"))
                    .toList();
        }
    }
}
