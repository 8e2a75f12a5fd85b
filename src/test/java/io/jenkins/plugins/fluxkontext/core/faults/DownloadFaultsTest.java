package io.jenkins.plugins.fluxkontext.core.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.fluxkontext.core.TestImages;
import io.jenkins.plugins.fluxkontext.core.harness.ScriptedBfl;
import io.jenkins.plugins.fluxkontext.core.model.ImageType;
import io.jenkins.plugins.fluxkontext.core.output.OutputPlan;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import mockwebserver3.MockResponse;
import okio.Buffer;
import org.junit.jupiter.api.Test;

/** Rows D-02 and D-03: the bytes decide what an image is, and no body is larger than the cap. */
class DownloadFaultsTest extends FaultStage {

    @Test
    void d02_aGifWhereAPngWasAskedForIsRefusedAtOnceAndLeavesNothing() throws Exception {
        byte[] gif = "GIF89a\u0001\u0000\u0001\u0000\u0080\u0000\u0000;".getBytes(StandardCharsets.ISO_8859_1);
        bfl.onDownload(new MockResponse.Builder()
                .setHeader("Content-Type", "image/png")
                .body(new Buffer().write(gif))
                .build());

        TaskOutcome outcome = runOne();

        assertThat(outcome).isInstanceOf(TaskOutcome.DownloadFailed.class);
        assertThat(outcome.message()).contains("task-1", "expected a PNG image");
        assertThat(bfl.downloads()).as("wrong bytes are not fetched again").isEqualTo(1);
        assertThat(filesInOutput()).noneMatch(n -> n.endsWith(".png") || n.endsWith(".gif") || n.endsWith(".part"));
    }

    @Test
    void d02_pngBytesLabelledAsPlainTextAreKeptBecauseTheBytesDecide() throws Exception {
        bfl.onDownload(new MockResponse.Builder()
                .setHeader("Content-Type", "text/plain")
                .body(new Buffer().write(ScriptedBfl.PNG))
                .build());

        TaskOutcome outcome = runOne();

        assertThat(outcome.succeeded()).as(outcome.message()).isTrue();
        byte[] written = Files.readAllBytes(out.resolve("flux-kontext-1.png"));
        assertThat(ImageType.sniff(written)).isEqualTo(ImageType.PNG);
    }

    @Test
    void d03_aChunkedBodyWithoutALengthIsCutOffAtTheCap() throws Exception {
        byte[] png = TestImages.png(300, 300);
        bfl.onDownload(new MockResponse.Builder()
                .setHeader("Content-Type", "image/png")
                .chunkedBody(new Buffer().write(png), 256)
                .build());

        TaskOutcome outcome = runOne(OutputPlan.into(out).withMaxImageBytes(1024));

        assertThat(outcome).isInstanceOf(TaskOutcome.DownloadFailed.class);
        assertThat(outcome.message()).contains("task-1", "exceeds the limit of 1024 bytes");
        assertThat(bfl.downloads()).isEqualTo(1);
        assertThat(filesInOutput()).noneMatch(n -> n.endsWith(".png") || n.endsWith(".part"));
    }
}
