package io.jenkins.plugins.fluxkontext.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.fluxkontext.core.engine.GenerationEngine;
import io.jenkins.plugins.fluxkontext.core.engine.GenerationJob;
import io.jenkins.plugins.fluxkontext.core.engine.GenerationResult;
import io.jenkins.plugins.fluxkontext.core.engine.PollSchedule;
import io.jenkins.plugins.fluxkontext.core.engine.ProgressListener;
import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
import io.jenkins.plugins.fluxkontext.core.model.InputImage;
import io.jenkins.plugins.fluxkontext.core.output.OutputPlan;
import io.jenkins.plugins.fluxkontext.core.provider.ApiKey;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderEndpoint;
import io.jenkins.plugins.fluxkontext.core.provider.catalog.Providers;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;
import io.jenkins.plugins.fluxkontext.core.task.WrittenImage;
import io.jenkins.plugins.fluxkontext.simulator.Fault;
import io.jenkins.plugins.fluxkontext.simulator.FluxKontextSimulator;
import io.jenkins.plugins.fluxkontext.simulator.LedgerSnapshot;
import io.jenkins.plugins.fluxkontext.simulator.SimulatorSettings;
import io.jenkins.plugins.fluxkontext.simulator.TaskState;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every provider end to end: core's dialect and engine (or the {@code flux-kontext} command with {@code --provider} and
 * {@code --base-url}) against the simulator's dialect for that provider, which is written from the providers'
 * documentation and not from core's code. What a user sees is checked: decodable images with sidecars on disk, exit
 * codes, and the simulator's ledger of what the provider would have billed.
 */
class ProvidersEndToEndTest {

    private static final String KEY = "e2e-key-5f1c";
    /** fal and Runflow put up to four images in one task; the others make one image per task. */
    private static final Set<String> BATCHING = Set.of("fal", "runflow");

    @TempDir
    Path dir;

    private FluxKontextSimulator sim;

    @BeforeEach
    void start() {
        sim = FluxKontextSimulator.start(SimulatorSettings.builder()
                .latency(Duration.ofMillis(400))
                .randomSeed(5)
                .build());
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    private GenerationResult run(String provider, GenerationRequest request, String prefix)
            throws InterruptedException {
        GenerationJob job = new GenerationJob(
                request,
                new ProviderEndpoint(Providers.byId(provider), sim.baseUrl(provider)),
                ApiKey.of(KEY),
                OutputPlan.into(dir).withPrefix(prefix));
        try (GenerationEngine engine = GenerationEngine.builder()
                .pollSchedule(PollSchedule.fixed(Duration.ofMillis(100)))
                .totalTimeout(Duration.ofSeconds(60))
                .build()) {
            return engine.run(job, ProgressListener.NONE);
        }
    }

    private static GenerationRequest.Builder request(String provider, String prompt) {
        GenerationRequest.Builder request = GenerationRequest.builder().prompt(prompt);
        // ToAPIs documents no seed for FLUX Kontext, and core refuses one for it (UNCONFIRMED).
        return provider.equals("toapis") ? request : request.seed(7L);
    }

    /** Images that decode, each with its provenance sidecar beside it. */
    private static void assertDecodableWithSidecars(List<WrittenImage> images, int width, int height) throws Exception {
        for (WrittenImage image : images) {
            BufferedImage decoded = ImageIO.read(image.file().toFile());
            assertThat(decoded).as(image.file().toString()).isNotNull();
            assertThat(decoded.getWidth()).as(image.file().toString()).isEqualTo(width);
            assertThat(decoded.getHeight()).as(image.file().toString()).isEqualTo(height);
            assertThat(image.sidecar()).isNotNull();
            assertThat(image.sidecar()).exists();
        }
    }

    /** The provider's ledger bills every task the engine ran exactly once, and nothing went to another dialect. */
    private void assertOneChargePerTask(String provider, GenerationResult result) {
        LedgerSnapshot ledger = sim.ledger(provider);
        assertThat(ledger.billedCount()).isEqualTo(result.outcomes().size());
        assertThat(ledger.tasks()).hasSize(result.outcomes().size());
        for (String taskId : result.taskIds()) {
            assertThat(ledger.timesBilled(taskId))
                    .as("charges for task " + taskId)
                    .isEqualTo(1);
        }
        assertThat(sim.ledger().billedCount()).as("charges at other providers").isEqualTo(ledger.billedCount());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"bfl", "toapis", "vtrix", "cometapi", "fal", "runflow", "replicate"})
    void generateWritesDecodableImagesWithSidecarsAndIsBilledOncePerTask(String provider) throws Exception {
        GenerationResult result = run(
                provider,
                request(provider, "a paper boat on a pond")
                        .count(2)
                        .aspectRatio("16:9")
                        .outputFormat("png")
                        .build(),
                "gen");

        assertThat(result.allSucceeded()).as(result.outcomes().toString()).isTrue();
        assertThat(result.images()).hasSize(2);
        assertDecodableWithSidecars(result.images(), 1360, 768);
        assertThat(result.outcomes()).hasSize(BATCHING.contains(provider) ? 1 : 2);
        assertOneChargePerTask(provider, result);
        assertThat(result.manifest()).exists();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"bfl", "toapis", "vtrix", "cometapi", "fal", "runflow", "replicate"})
    void editSendsALocalImageAndKeepsItsShape(String provider) throws Exception {
        Path input = dir.resolve("input.png");
        BufferedImage picture = new BufferedImage(1200, 800, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = picture.createGraphics();
        g.setColor(new Color(30, 120, 200));
        g.fillRect(0, 0, 1200, 800);
        g.dispose();
        ImageIO.write(picture, "png", input.toFile());

        GenerationResult result = run(
                provider,
                request(provider, "add a rainbow")
                        .inputImage(new InputImage.LocalFile(input))
                        .outputFormat("jpeg")
                        .build(),
                "edit");

        assertThat(result.allSucceeded()).as(result.outcomes().toString()).isTrue();
        // No aspect ratio sent: every provider keeps the input's 3:2 shape (ToAPIs and Replicate: match_input_image).
        assertDecodableWithSidecars(result.images(), 1248, 832);
        assertThat(result.images().get(0).file().getFileName().toString()).endsWith(".jpg");
        assertOneChargePerTask(provider, result);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"bfl", "toapis", "vtrix", "cometapi", "fal", "runflow", "replicate"})
    void theCommandTakesProviderAndBaseUrl(String provider) throws Exception {
        CliRun run = CliRun.of(
                dir,
                "generate",
                "--prompt",
                "a lighthouse",
                "--provider",
                provider,
                "--base-url",
                sim.baseUrl(provider).toString(),
                "--count",
                "5",
                "--out",
                "cli",
                "--json");

        assertThat(run.exit()).as(run.all()).isZero();
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.get("images")).hasSize(5);
        for (JsonNode image : json.get("images")) {
            assertThat(ImageIO.read(Path.of(image.get("file").asText()).toFile()))
                    .isNotNull();
            assertThat(Path.of(image.get("file").asText() + ".json")).exists();
        }
        // fal and Runflow batch: one task of 4 and one of 1; the others run 5 tasks.
        int tasks = BATCHING.contains(provider) ? 2 : 5;
        assertThat(json.get("tasks")).hasSize(tasks);
        assertThat(sim.ledger(provider).billedCount()).isEqualTo(tasks);
        assertThat(run.err()).contains("submitted to " + provider);
        try (var files = Files.list(dir.resolve("cli"))) {
            assertThat(files.filter(f -> f.toString().endsWith(".png")).count()).isEqualTo(5);
        }
    }

    /**
     * Moderation and failure through the command: exit 4 for a moderated task, 3 for a failed one. Where a provider
     * does not document how moderation shows (Vtrix, Runflow's request side), core reads it as a failure (exit 3),
     * as docs/providers.md says. The billed column is the simulator's rule for that provider (docs/simulator.md).
     */
    @ParameterizedTest(name = "{0} {1} -> exit {2}")
    @CsvSource({
        "bfl,       fail,             3, 1",
        "bfl,       moderate-request, 4, 0",
        "bfl,       moderate-output,  4, 0",
        "toapis,    fail,             3, 0",
        "toapis,    moderate-output,  4, 0",
        "vtrix,     fail,             3, 0",
        "vtrix,     moderate-request, 3, 0",
        "vtrix,     moderate-output,  3, 0",
        "cometapi,  fail,             3, 1",
        "cometapi,  moderate-request, 4, 0",
        "cometapi,  moderate-output,  4, 0",
        "fal,       fail,             3, 0",
        "fal,       moderate-request, 4, 0",
        "fal,       moderate-output,  4, 1",
        "runflow,   fail,             3, 0",
        "runflow,   moderate-request, 3, 0",
        "runflow,   moderate-output,  4, 1",
        "replicate, fail,             3, 0",
        "replicate, moderate-request, 4, 0",
        "replicate, moderate-output,  4, 0",
    })
    void moderationAndFailureMapToTheirExitCodes(String provider, String word, int exit, int billed) {
        CliRun run = CliRun.of(
                dir,
                "generate",
                "--prompt",
                "a harbour [sim:" + word + "]",
                "--provider",
                provider,
                "--base-url",
                sim.baseUrl(provider).toString(),
                "--timeout",
                "60s");

        assertThat(run.exit()).as(run.all()).isEqualTo(exit);
        assertThat(sim.ledger(provider).billedCount()).isEqualTo(billed);
        assertThat(sim.ledger(provider).tasks()).hasSize(1);
        try (var files = Files.list(dir)) {
            assertThat(files.filter(f -> f.toString().endsWith(".png")).toList())
                    .isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * ToAPIs refuses a prompt its moderation flags with HTTP 422 {@code content_policy_violation} at the submit
     * (see docs/providers.md: HTTP 422 content_policy_violation is moderation): nothing is created or
     * billed, and the outcome says it was moderated.
     */
    @Test
    void aToApisRequestRefusedByModerationCreatesNothingAndSaysSo() throws Exception {
        GenerationResult result = run(
                "toapis", request("toapis", "a harbour [sim:moderate-request]").build(), "mod");

        assertThat(result.outcomes()).singleElement().isInstanceOfSatisfying(TaskOutcome.Moderated.class, m -> {
            assertThat(m.side()).isEqualTo(TaskOutcome.ModerationSide.REQUEST);
            assertThat(m.message()).contains("moderated before generation");
        });
        assertThat(sim.ledger("toapis").tasks()).isEmpty();
        assertThat(sim.ledger("toapis").billedCount()).isZero();
        assertThat(sim.ledger("toapis").faultsApplied()).containsEntry(Fault.MODERATE_REQUEST, 1L);
    }

    /**
     * The same refusal reaches the user as a moderated task (exit 4), as docs/providers.md says: at the submit only the
     * prompt or an input image can have been refused, and nothing was created or billed.
     */
    @Test
    void aToApisRequestRefusedByModerationExitsAsModerated() {
        CliRun run = CliRun.of(
                dir,
                "generate",
                "--prompt",
                "a harbour [sim:moderate-request]",
                "--provider",
                "toapis",
                "--base-url",
                sim.baseUrl("toapis").toString());

        assertThat(run.exit()).as(run.all()).isEqualTo(ExitCode.MODERATED.code());
    }

    /** A moderated or failed task leaves the task in the simulator's ledger in the matching state. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"fal", "replicate"})
    void theLedgerRecordsHowATaskEnded(String provider) throws Exception {
        run(provider, request(provider, "a harbour [sim:moderate-output]").build(), "ended");
        assertThat(sim.ledger(provider).tasks())
                .singleElement()
                .satisfies(t -> assertThat(t.state()).isEqualTo(TaskState.CONTENT_MODERATED));
    }
}
