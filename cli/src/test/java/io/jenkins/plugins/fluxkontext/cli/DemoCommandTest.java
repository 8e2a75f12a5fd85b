package io.jenkins.plugins.fluxkontext.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a newcomer's first command leaves on disk. */
class DemoCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void demoWritesAGeneratedAndAnEditedImageWithSidecarsAndManifests(@TempDir Path dir) throws Exception {
        CliRun run = CliRun.of(dir, "demo");

        assertThat(run.exit()).as(run.all()).isZero();
        Path out = dir.resolve("flux-kontext-demo");
        BufferedImage generated =
                ImageIO.read(out.resolve("demo-generate-1.png").toFile());
        BufferedImage edited = ImageIO.read(out.resolve("demo-edit-1.png").toFile());
        assertThat(generated.getWidth()).isEqualTo(1360);
        assertThat(generated.getHeight()).isEqualTo(768);
        assertThat(edited.getWidth()).isEqualTo(1360);

        JsonNode sidecar = JSON.readTree(out.resolve("demo-edit-1.png.json").toFile());
        assertThat(sidecar.get("file").asText()).isEqualTo("demo-edit-1.png");
        assertThat(sidecar.get("provider").asText()).isEqualTo("bfl");
        assertThat(sidecar.get("taskId").asText()).isNotBlank();
        assertThat(sidecar.get("seed").asLong()).isEqualTo(DemoCommand.SEED);
        assertThat(sidecar.get("width").asInt()).isEqualTo(1360);
        assertThat(sidecar.at("/request/prompt").asText()).isEqualTo(DemoCommand.EDIT_PROMPT);
        assertThat(sidecar.at("/request/inputImages/0/source").asText()).endsWith("demo-generate-1.png");

        JsonNode manifest =
                JSON.readTree(out.resolve("demo-generate-manifest.json").toFile());
        assertThat(manifest.at("/tasks/0/outcome").asText()).isEqualTo("Succeeded");
        assertThat(manifest.at("/tasks/0/images/0/file").asText()).isEqualTo("demo-generate-1.png");
        assertThat(JSON.readTree(out.resolve("demo-edit-manifest.json").toFile())
                        .at("/tasks/0/images/0/file")
                        .asText())
                .isEqualTo("demo-edit-1.png");

        assertThat(run.out())
                .contains("Files in " + out)
                .contains("images:    demo-generate-1.png (1360x768), demo-edit-1.png (1360x768)")
                .contains("sidecars:  demo-generate-1.png.json, demo-edit-1.png.json")
                .contains("manifests: demo-generate-manifest.json, demo-edit-manifest.json")
                .contains("Billed: 2 task(s), $0.16");
    }

    @Test
    void demoRunsAgainIntoTheSameFolderAndHonoursOut(@TempDir Path dir) {
        assertThat(CliRun.of(dir, "demo", "--out", "elsewhere").exit()).isZero();
        CliRun again = CliRun.of(dir, "demo", "--out", "elsewhere");
        assertThat(again.exit()).as(again.all()).isZero();
        assertThat(dir.resolve("elsewhere/demo-edit-1.png")).exists();
        assertThat(dir.resolve("flux-kontext-demo")).doesNotExist();
    }
}
