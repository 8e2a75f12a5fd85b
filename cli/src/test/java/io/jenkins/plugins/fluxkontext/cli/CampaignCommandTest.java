package io.jenkins.plugins.fluxkontext.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.fluxkontext.simulator.FluxKontextSimulator;
import io.jenkins.plugins.fluxkontext.simulator.SimulatorSettings;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Campaign assets from the command line against the in-process simulator: one creative in every format, never
 * paid for twice (the simulator's ledger), made again from its sidecar.
 */
class CampaignCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private FluxKontextSimulator sim;

    @BeforeEach
    void start() {
        sim = FluxKontextSimulator.start(
                SimulatorSettings.builder().latency(Duration.ofMillis(40)).build());
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    private CliRun run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--base-url", sim.baseUrl().toString()));
        return CliRun.of(dir, all.toArray(String[]::new));
    }

    private CliRun hero(String out, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "generate",
                "--prompt",
                "Hero shot of a red sneaker on white",
                "--aspect-ratio",
                "1:1",
                "--aspect-ratio",
                "9:16",
                "--aspect-ratio",
                "16:9",
                "--seed",
                "2024",
                "--prefix",
                "hero",
                "--out",
                out));
        args.addAll(List.of(more));
        return run(args.toArray(String[]::new));
    }

    @Test
    void threeAspectRatiosMakeThreeImagesOfTheRightSizesInOneManifest() throws Exception {
        CliRun made = hero("assets", "--json");

        assertThat(made.exit()).as(made.all()).isZero();
        assertThat(sim.ledger().billedCount()).isEqualTo(3);
        Path assets = dir.resolve("assets");
        assertThat(size(assets.resolve("hero-1x1-1.png"))).containsExactly(1024, 1024);
        assertThat(size(assets.resolve("hero-9x16-1.png"))).containsExactly(768, 1360);
        assertThat(size(assets.resolve("hero-16x9-1.png"))).containsExactly(1360, 768);
        try (Stream<Path> files = Files.list(assets)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.contains("manifest")))
                    .containsExactly("hero-manifest.json");
        }
        JsonNode json = JSON.readTree(made.out());
        assertThat(json.path("images")).hasSize(3);
        assertThat(json.at("/images/1/aspectRatio").asText()).isEqualTo("9:16");
        assertThat(json.at("/images/1/file").asText()).endsWith("hero-9x16-1.png");
        assertThat(json.at("/images/1/reused").asBoolean()).isFalse();
        assertThat(JSON.readTree(assets.resolve("hero-manifest.json").toFile())
                        .at("/totals/images")
                        .asInt())
                .isEqualTo(3);
    }

    @Test
    void theSameRunTwiceWithASeedBillsOnceAndTheSecondCopiesByteIdenticalImagesMarkedReused() throws Exception {
        CliRun first = hero("run-1", "--reuse-dir", "cache");
        assertThat(first.exit()).as(first.all()).isZero();
        assertThat(first.out()).contains("Kept 3 images in cache for later runs");

        CliRun second = hero("run-2", "--reuse-dir", "cache", "--json");

        assertThat(second.exit()).as(second.all()).isZero();
        assertThat(sim.ledger().billedCount())
                .as("the ledger bills the first run only")
                .isEqualTo(3);
        assertThat(sim.ledger().submitsReceived()).isEqualTo(3);
        for (String name : List.of("hero-1x1-1.png", "hero-9x16-1.png", "hero-16x9-1.png")) {
            assertThat(Files.readAllBytes(dir.resolve("run-2").resolve(name)))
                    .as(name)
                    .isEqualTo(Files.readAllBytes(dir.resolve("run-1").resolve(name)));
            JsonNode sidecar =
                    JSON.readTree(dir.resolve("run-2").resolve(name + ".json").toFile());
            assertThat(sidecar.path("reusedFrom").asText()).isEqualTo("run-1/" + name);
        }
        assertThat(second.err()).contains("reused run-2/hero-9x16-1.png", "from run-1/hero-9x16-1.png");
        assertThat(second.err()).contains("3 images written (3 reused from earlier runs, not billed)");
        JsonNode json = JSON.readTree(second.out());
        assertThat(json.at("/tasks/0/outcome").asText()).isEqualTo("Reused");
        assertThat(json.at("/images/2/reused").asBoolean()).isTrue();
        assertThat(json.at("/images/2/reusedFrom").asText()).isEqualTo("run-1/hero-16x9-1.png");
    }

    @Test
    void changingOneOptionOrOneByteOfAnInputMakesTheImagesAgain() throws Exception {
        assertThat(hero("run-1", "--reuse-dir", "cache").exit()).isZero();
        CliRun changed = hero("run-2", "--reuse-dir", "cache", "--safety-tolerance", "3");
        assertThat(changed.exit()).as(changed.all()).isZero();
        assertThat(changed.out()).doesNotContain(" reused ");
        assertThat(sim.ledger().billedCount()).isEqualTo(6);

        assertThat(run("generate", "--prompt", "product", "--seed", "1", "--prefix", "product")
                        .exit())
                .isZero();
        String[] edit = {
            "edit", "--prompt", "Put it on a beach", "--image", "product-1.png", "--seed", "5", "--reuse-dir", "cache"
        };
        assertThat(run(append(edit, "--out", "edit-1")).exit()).isZero();
        assertThat(run(append(edit, "--out", "edit-2")).out()).contains(" reused ");
        assertThat(sim.ledger().billedCount()).isEqualTo(8);

        byte[] input = Files.readAllBytes(dir.resolve("product-1.png"));
        input[input.length - 1] ^= 1; // the last byte of the IEND chunk's CRC: the file differs in one byte
        Files.write(dir.resolve("product-1.png"), input);
        CliRun third = run(append(edit, "--out", "edit-3"));

        assertThat(third.exit()).as(third.all()).isZero();
        assertThat(third.out()).doesNotContain(" reused ");
        assertThat(sim.ledger().billedCount()).isEqualTo(9);
    }

    @Test
    void aReplayFromASidecarMakesTheSameImageAndABesideOptionMakesAVariation() throws Exception {
        assertThat(hero("campaign").exit()).isZero();
        byte[] original = Files.readAllBytes(dir.resolve("campaign/hero-9x16-1.png"));

        CliRun replay = run("generate", "--from-sidecar", "campaign/hero-9x16-1.png.json", "--out", "replay");

        assertThat(replay.exit()).as(replay.all()).isZero();
        assertThat(sim.ledger().billedCount()).isEqualTo(4);
        assertThat(Files.readAllBytes(dir.resolve("replay/flux-kontext-1.png"))).isEqualTo(original);
        JsonNode sidecar =
                JSON.readTree(dir.resolve("replay/flux-kontext-1.png.json").toFile());
        assertThat(sidecar.at("/recipe/seed").asLong()).isEqualTo(2024);
        assertThat(sidecar.at("/recipe/aspectRatio").asText()).isEqualTo("9:16");

        CliRun variation = run(
                "generate",
                "--from-sidecar",
                "campaign/hero-9x16-1.png.json",
                "--prompt",
                "Hero shot of a blue sneaker on white",
                "--out",
                "variation");

        assertThat(variation.exit()).as(variation.all()).isZero();
        JsonNode varied =
                JSON.readTree(dir.resolve("variation/flux-kontext-1.png.json").toFile());
        assertThat(varied.at("/recipe/seed").asLong()).isEqualTo(2024);
        assertThat(varied.at("/recipe/prompt").asText()).isEqualTo("Hero shot of a blue sneaker on white");
        assertThat(Files.readAllBytes(dir.resolve("variation/flux-kontext-1.png")))
                .isNotEqualTo(original);
    }

    @Test
    void aReplayWhoseInputImageChangedIsRefusedBeforeAnythingIsSent() throws Exception {
        assertThat(run("generate", "--prompt", "logo", "--seed", "3", "--prefix", "logo")
                        .exit())
                .isZero();
        assertThat(run("edit", "--prompt", "Make it gold", "--image", "logo-1.png", "--seed", "4", "--prefix", "gold")
                        .exit())
                .isZero();
        byte[] input = Files.readAllBytes(dir.resolve("logo-1.png"));
        input[input.length - 1] ^= 1;
        Files.write(dir.resolve("logo-1.png"), input);
        long billed = sim.ledger().billedCount();

        CliRun replay = run("edit", "--from-sidecar", "gold-1.png.json", "--out", "again");

        assertThat(replay.exit()).isEqualTo(ExitCode.INVALID_INPUT.code());
        assertThat(replay.err())
                .contains("image: \"" + dir.resolve("logo-1.png") + "\"")
                .contains("differs from the one the image was made from")
                .contains("Nothing was sent.");
        assertThat(sim.ledger().billedCount()).isEqualTo(billed);
        assertThat(sim.ledger().submitsReceived()).isEqualTo(2);
    }

    @Test
    void reuseWithoutAFixedSeedIsRefusedBeforeAnythingIsSent() {
        CliRun run = run("generate", "--prompt", "x", "--reuse-dir", "cache");

        assertThat(run.exit()).isEqualTo(ExitCode.INVALID_INPUT.code());
        assertThat(run.err()).contains("--reuse-dir needs a fixed seed");
        assertThat(sim.ledger().submitsReceived()).isZero();
    }

    private static int[] size(Path image) throws Exception {
        BufferedImage decoded = ImageIO.read(image.toFile());
        return new int[] {decoded.getWidth(), decoded.getHeight()};
    }

    private static String[] append(String[] args, String... more) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }
}
