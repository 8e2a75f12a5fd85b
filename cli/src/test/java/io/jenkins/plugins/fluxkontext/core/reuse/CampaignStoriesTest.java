package io.jenkins.plugins.fluxkontext.core.reuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.fluxkontext.core.engine.GenerationEngine;
import io.jenkins.plugins.fluxkontext.core.engine.GenerationJob;
import io.jenkins.plugins.fluxkontext.core.engine.GenerationResult;
import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
import io.jenkins.plugins.fluxkontext.core.model.InputImage;
import io.jenkins.plugins.fluxkontext.core.model.InvalidRequestException;
import io.jenkins.plugins.fluxkontext.core.output.OutputPlan;
import io.jenkins.plugins.fluxkontext.core.provider.ApiKey;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderEndpoint;
import io.jenkins.plugins.fluxkontext.core.provider.bfl.BflDialect;
import io.jenkins.plugins.fluxkontext.core.provider.fal.FalDialect;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;
import io.jenkins.plugins.fluxkontext.core.task.WrittenImage;
import io.jenkins.plugins.fluxkontext.simulator.FluxKontextSimulator;
import io.jenkins.plugins.fluxkontext.simulator.SimulatorSettings;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Campaign assets against the simulator, through the engine: one creative in several formats in one call, an image
 * never paid for twice (the simulator's ledger), and an image made again from its sidecar.
 */
class CampaignStoriesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private FluxKontextSimulator sim;
    private GenerationEngine engine;

    @BeforeEach
    void start() {
        sim = FluxKontextSimulator.start(
                SimulatorSettings.builder().latency(Duration.ofMillis(40)).build());
        engine = GenerationEngine.builder().totalTimeout(Duration.ofMinutes(1)).build();
    }

    @AfterEach
    void stop() {
        engine.close();
        sim.close();
    }

    private static GenerationRequest.Builder hero() {
        return GenerationRequest.builder()
                .prompt("Hero shot of a red sneaker on white, campaign SPRING")
                .aspectRatios(List.of("1:1", "9:16", "16:9"))
                .seed(2024L);
    }

    private GenerationResult run(GenerationRequest request, String out, ReuseSource reuse) throws Exception {
        GenerationJob job = new GenerationJob(
                request,
                new ProviderEndpoint(new BflDialect(), sim.baseUrl()),
                ApiKey.of("campaign-key"),
                OutputPlan.into(dir.resolve(out)).withPrefix("hero"),
                reuse);
        return engine.run(job, null);
    }

    /** Keeps what a run made in {@code cache}, as the command line does with --reuse-dir. */
    private static ReuseFolder keepAll(GenerationResult result, Path cache) throws Exception {
        ReuseFolder folder = new ReuseFolder(cache);
        for (WrittenImage image : result.images()) {
            folder.keep(image, image.file().toString(), result.simulated());
        }
        return folder;
    }

    @Test
    void threeFormatsInOneCallMakeThreeImagesOfTheRightSizesInOneManifest() throws Exception {
        GenerationResult result = run(hero().build(), "first", ReuseSource.NONE);

        assertThat(result.allSucceeded()).as(result.toString()).isTrue();
        assertThat(result.outcomes()).hasSize(3);
        assertThat(sim.ledger().billedCount()).isEqualTo(3);
        List<WrittenImage> images = result.images();
        assertThat(images)
                .extracting(i -> i.file().getFileName().toString())
                .containsExactly("hero-1x1-1.png", "hero-9x16-1.png", "hero-16x9-1.png");
        assertThat(images).extracting(WrittenImage::aspectRatio).containsExactly("1:1", "9:16", "16:9");
        int[][] sizes = {{1024, 1024}, {768, 1360}, {1360, 768}};
        for (int i = 0; i < 3; i++) {
            BufferedImage decoded = ImageIO.read(images.get(i).file().toFile());
            assertThat(new int[] {decoded.getWidth(), decoded.getHeight()})
                    .as(images.get(i).file().toString())
                    .containsExactly(sizes[i]);
        }
        // The same creative: every format starts at the seed.
        assertThat(images).extracting(WrittenImage::seed).containsOnly(2024L);

        try (var files = Files.list(dir.resolve("first"))) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("manifest.json")))
                    .containsExactly("hero-manifest.json");
        }
        JsonNode manifest = JSON.readTree(result.manifest().toFile());
        assertThat(manifest.at("/totals/images").asInt()).isEqualTo(3);
        assertThat(manifest.at("/request/aspectRatios").toString()).isEqualTo("[\"1:1\",\"9:16\",\"16:9\"]");
        assertThat(manifest.at("/tasks/1/images/0/aspectRatio").asText()).isEqualTo("9:16");
        assertThat(manifest.at("/tasks/1/images/0/fingerprint").asText())
                .isEqualTo(images.get(1).fingerprint());
    }

    @Test
    void theSameCallTwiceWithASeedIsBilledOnceAndTheSecondRunCopiesTheImagesMarkedReused() throws Exception {
        Path cache = dir.resolve("cache");
        GenerationResult first = run(hero().build(), "build-1", new ReuseFolder(cache));
        keepAll(first, cache);
        assertThat(sim.ledger().billedCount()).isEqualTo(3);

        GenerationResult second = run(hero().build(), "build-2", new ReuseFolder(cache));

        assertThat(sim.ledger().billedCount())
                .as("billed once, by the first run")
                .isEqualTo(3);
        assertThat(sim.ledger().submitsReceived()).isEqualTo(3);
        assertThat(second.allSucceeded()).isTrue();
        assertThat(second.outcomes()).allSatisfy(o -> assertThat(o).isInstanceOf(TaskOutcome.Reused.class));
        for (int i = 0; i < 3; i++) {
            WrittenImage made = first.images().get(i);
            WrittenImage copy = second.images().get(i);
            assertThat(Files.readAllBytes(copy.file())).isEqualTo(Files.readAllBytes(made.file()));
            assertThat(copy.file().getFileName()).isEqualTo(made.file().getFileName());
            assertThat(copy.reusedFrom()).isEqualTo(made.file().toString());
            JsonNode sidecar = JSON.readTree(copy.sidecar().toFile());
            assertThat(sidecar.path("reusedFrom").asText())
                    .isEqualTo(made.file().toString());
            assertThat(sidecar.path("simulated").asBoolean())
                    .as("a copy of a simulator's placeholder says so")
                    .isTrue();
            assertThat(sidecar.path("taskId").asText()).isEqualTo(made.taskId());
        }
        JsonNode manifest = JSON.readTree(second.manifest().toFile());
        assertThat(manifest.at("/totals/reusedImages").asInt()).isEqualTo(3);
        assertThat(second.simulated()).isTrue();
        assertThat(manifest.at("/tasks/0/outcome").asText()).isEqualTo("Reused");
        assertThat(manifest.at("/tasks/0/billing").asText()).isEqualTo("NOT_BILLED");
    }

    @Test
    void changingOneParameterMakesTheImagesAgain() throws Exception {
        Path cache = dir.resolve("cache");
        keepAll(run(hero().build(), "build-1", new ReuseFolder(cache)), cache);

        GenerationResult changed = run(hero().safetyTolerance(3).build(), "build-2", new ReuseFolder(cache));

        assertThat(changed.reusedImages()).isEmpty();
        assertThat(sim.ledger().billedCount()).isEqualTo(6);
    }

    @Test
    void changingOneByteOfAnInputImageMakesTheEditAgain() throws Exception {
        Path input = dir.resolve("product.png");
        Files.write(input, png(Color.RED, 0));
        Path cache = dir.resolve("cache");
        GenerationRequest edit = GenerationRequest.builder()
                .prompt("Put the logo on the product")
                .inputImage(InputImage.parse("product.png", dir))
                .aspectRatios(List.of("1:1", "16:9"))
                .seed(7L)
                .build();
        keepAll(run(edit, "build-1", new ReuseFolder(cache)), cache);
        assertThat(run(edit, "build-2", new ReuseFolder(cache)).reusedImages()).hasSize(2);
        assertThat(sim.ledger().billedCount()).isEqualTo(2);

        // One byte of one pixel differs: still a valid PNG, and another input.
        Files.write(input, png(Color.RED, 1));
        GenerationResult third = run(edit, "build-3", new ReuseFolder(cache));

        assertThat(third.reusedImages()).isEmpty();
        assertThat(third.allSucceeded()).isTrue();
        assertThat(sim.ledger().billedCount()).isEqualTo(4);
    }

    @Test
    void anEarlierImageWhoseBytesChangedIsMadeAgainAndTheRunSaysWhy() throws Exception {
        Path cache = dir.resolve("cache");
        GenerationResult first = run(hero().aspectRatio("1:1").build(), "build-1", new ReuseFolder(cache));
        keepAll(first, cache);
        Path kept = cache.resolve(first.images().get(0).fingerprint() + ".png");
        byte[] bytes = Files.readAllBytes(kept);
        bytes[100] ^= 1;
        Files.write(kept, bytes);

        GenerationResult second = run(hero().aspectRatio("1:1").build(), "build-2", new ReuseFolder(cache));

        assertThat(second.outcomes().get(0)).isInstanceOf(TaskOutcome.Succeeded.class);
        assertThat(second.warnings()).anyMatch(w -> w.contains("was not reused") && w.contains("SHA-256"));
        assertThat(sim.ledger().billedCount()).isEqualTo(2);
        assertThat(second.images().get(0).file().getFileName()).hasToString("hero-1.png");
    }

    @Test
    void withoutASeedNothingIsReusedSinceEveryRunDrawsANewPicture() throws Exception {
        Path cache = dir.resolve("cache");
        GenerationRequest random = hero().seed(null).build();
        GenerationResult first = run(random, "build-1", new ReuseFolder(cache));
        assertThat(keepAll(first, cache).directory()).doesNotExist();

        assertThat(run(random, "build-2", new ReuseFolder(cache)).reusedImages())
                .isEmpty();
        assertThat(sim.ledger().billedCount()).isEqualTo(6);
    }

    @Test
    void aProviderThatBatchesReusesWholeTasksOnly() throws Exception {
        Path cache = dir.resolve("cache");
        GenerationRequest request = GenerationRequest.builder()
                .prompt("Banner set")
                .aspectRatios(List.of("1:1", "16:9"))
                .count(2)
                .seed(5L)
                .build();
        GenerationJob job = new GenerationJob(
                request,
                new ProviderEndpoint(new FalDialect(), sim.baseUrl("fal")),
                ApiKey.of("campaign-key"),
                OutputPlan.into(dir.resolve("fal-1")),
                new ReuseFolder(cache));
        GenerationResult first = engine.run(job, null);
        assertThat(first.images())
                .extracting(i -> i.file().getFileName().toString())
                .containsExactly(
                        "flux-kontext-1x1-1.png",
                        "flux-kontext-1x1-2.png",
                        "flux-kontext-16x9-1.png",
                        "flux-kontext-16x9-2.png");
        keepAll(first, cache);
        long billed = sim.ledger("fal").billedCount();

        GenerationResult second = engine.run(
                new GenerationJob(
                        request, job.endpoint(), job.apiKey(), OutputPlan.into(dir.resolve("fal-2")), job.reuse()),
                null);

        assertThat(second.outcomes()).hasSize(2).allSatisfy(o -> assertThat(o).isInstanceOf(TaskOutcome.Reused.class));
        assertThat(second.reusedImages()).hasSize(4);
        assertThat(sim.ledger("fal").billedCount()).isEqualTo(billed);
    }

    @Test
    void aReplayFromASidecarIsTheRequestThatMadeTheImageAndMakesTheSameImage() throws Exception {
        Path input = dir.resolve("assets/product.png");
        Files.createDirectories(input.getParent());
        Files.write(input, png(Color.BLUE, 0));
        GenerationRequest original = GenerationRequest.builder()
                .prompt("Put the product on a beach")
                .inputImage(InputImage.parse("assets/product.png", dir))
                .aspectRatios(List.of("1:1", "9:16"))
                .count(2)
                .seed(300L)
                .safetyTolerance(4)
                .outputFormat("jpeg")
                .build();
        GenerationResult made = run(original, "campaign", ReuseSource.NONE);
        WrittenImage fourth = made.images().get(3);
        assertThat(fourth.file().getFileName()).hasToString("hero-9x16-2.jpg");

        Replay replay = Replay.read(fourth.sidecar(), "fromSidecar");
        GenerationRequest replayed = replay.requestBuilder(dir).build();

        GenerationRequest expected = original.forImage(4);
        assertThat(replayed.prompt()).isEqualTo(expected.prompt());
        assertThat(replayed.model()).isEqualTo(expected.model());
        assertThat(replayed.seed()).isEqualTo(301L).isEqualTo(expected.seed());
        assertThat(replayed.aspectRatios()).isEqualTo(expected.aspectRatios());
        assertThat(replayed.outputFormat()).isEqualTo(expected.outputFormat());
        assertThat(replayed.safetyTolerance()).isEqualTo(expected.safetyTolerance());
        assertThat(replayed.promptUpsampling()).isEqualTo(expected.promptUpsampling());
        assertThat(replayed.count()).isEqualTo(1);
        assertThat(replayed.inputImages()).isEqualTo(expected.inputImages());
        assertThat(replayed).isEqualTo(expected);
        assertThat(replay.provider()).isEqualTo("bfl");
        Replay.checkInputs(replayed.inputImages(), replay.inputSha256());

        GenerationResult again = run(replayed, "replay", ReuseSource.NONE);

        assertThat(Files.readAllBytes(again.images().get(0).file())).isEqualTo(Files.readAllBytes(fourth.file()));
        assertThat(again.images().get(0).fingerprint()).isEqualTo(fourth.fingerprint());
    }

    @Test
    void aReplayRefusesAnInputImageThatDiffersFromTheRecordedOne() throws Exception {
        Path input = dir.resolve("product.png");
        Files.write(input, png(Color.GREEN, 0));
        GenerationRequest original = GenerationRequest.builder()
                .prompt("Make it night")
                .inputImage(InputImage.parse("product.png", dir))
                .seed(9L)
                .build();
        WrittenImage made = run(original, "out", ReuseSource.NONE).images().get(0);
        Files.write(input, png(Color.YELLOW, 0));

        Replay replay = Replay.read(made.sidecar(), "fromSidecar");
        GenerationRequest replayed = replay.requestBuilder(dir).build();

        assertThatThrownBy(() -> Replay.checkInputs(replayed.inputImages(), replay.inputSha256()))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("image: \"" + input + "\"")
                .hasMessageContaining("differs from the one the image was made from");
        assertThat(sim.ledger().billedCount()).isEqualTo(1);
    }

    /** A PNG in {@code color}; {@code tweak} is added to the blue byte of the top-left pixel. */
    private static byte[] png(Color color, int tweak) throws Exception {
        BufferedImage image = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(color);
        g.fillRect(0, 0, 320, 240);
        g.setColor(Color.WHITE);
        g.fillOval(100, 60, 120, 120);
        g.dispose();
        image.setRGB(0, 0, image.getRGB(0, 0) + tweak);
        var out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
