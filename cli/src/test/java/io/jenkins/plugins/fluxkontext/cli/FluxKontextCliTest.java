package io.jenkins.plugins.fluxkontext.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.fluxkontext.simulator.FluxKontextSimulator;
import io.jenkins.plugins.fluxkontext.simulator.SimulatorSettings;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command as a user runs it, against the simulator on loopback: files on disk, printed lines, exit codes. */
class FluxKontextCliTest {

    @TempDir
    Path dir;

    private FluxKontextSimulator sim;

    @BeforeEach
    void start() {
        sim = FluxKontextSimulator.start(
                SimulatorSettings.builder().latency(Duration.ofMillis(300)).build());
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    private CliRun run(String... args) {
        return CliRun.of(dir, args);
    }

    private String base() {
        return sim.baseUrl().toString();
    }

    @Test
    void generateWritesTheImagesSidecarsAndManifestAndExitsZero() throws Exception {
        CliRun run = run(
                "generate",
                "--prompt",
                "a paper boat on a pond",
                "--base-url",
                base(),
                "--count",
                "2",
                "--seed",
                "7",
                "--aspect-ratio",
                "3:2",
                "--format",
                "jpeg",
                "--out",
                "images");

        assertThat(run.exit()).as(run.all()).isZero();
        Path out = dir.resolve("images");
        assertThat(ImageIO.read(out.resolve("flux-kontext-1.jpg").toFile()).getWidth())
                .isEqualTo(1248);
        assertThat(ImageIO.read(out.resolve("flux-kontext-2.jpg").toFile()).getHeight())
                .isEqualTo(832);
        assertThat(out.resolve("flux-kontext-1.jpg.json")).exists();
        assertThat(out.resolve("flux-kontext-manifest.json")).exists();
        assertThat(run.out()).contains("wrote images/flux-kontext-1.jpg").contains("2 images written");
        assertThat(sim.ledger().billedCount()).isEqualTo(2);
    }

    @Test
    void editSendsTheInputFileAndWritesTheEditedImage() throws Exception {
        assertThat(run("generate", "--prompt", "original", "--base-url", base(), "--prefix", "original")
                        .exit())
                .isZero();

        CliRun run = run(
                "edit",
                "--prompt",
                "add a rainbow",
                "--image",
                "original-1.png",
                "--base-url",
                base(),
                "--prefix",
                "edited");

        assertThat(run.exit()).as(run.all()).isZero();
        assertThat(ImageIO.read(dir.resolve("edited-1.png").toFile())).isNotNull();
        JsonNode sidecar =
                new ObjectMapper().readTree(dir.resolve("edited-1.png.json").toFile());
        assertThat(sidecar.at("/request/inputImages/0/source").asText()).endsWith("original-1.png");
    }

    @Test
    void jsonPrintsTheResultOnStdoutAndProgressOnStderr() throws Exception {
        CliRun run = run("generate", "--prompt", "json please", "--base-url", base(), "--json");

        assertThat(run.exit()).isZero();
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.get("exitCode").asInt()).isZero();
        assertThat(json.at("/tasks/0/outcome").asText()).isEqualTo("Succeeded");
        assertThat(json.at("/images/0/width").asInt()).isEqualTo(1024);
        assertThat(Path.of(json.at("/images/0/file").asText())).exists();
        assertThat(run.err()).contains("submitted to bfl");
    }

    @Test
    void aTerminalGetsAProgressBarDrawnInPlace() {
        CliRun run = CliRun.of(dir, Map.of(), true, "generate", "--prompt", "bar", "--base-url", base());
        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("\r[").contains("1/1 task done").contains("1 image written");
    }

    @Test
    void invalidInputExitsTwoAndSendsNothing() {
        CliRun run = run(
                "generate",
                "--prompt",
                "x",
                "--base-url",
                base(),
                "--aspect-ratio",
                "30:9",
                "--safety-tolerance",
                "9",
                "--format",
                "gif");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err())
                .contains("--aspect-ratio: \"30:9\" is not allowed")
                .contains("--safety-tolerance: \"9\" is not allowed")
                .contains("--format: \"gif\" is not allowed; use png or jpeg")
                .contains("Nothing was sent");
        assertThat(sim.ledger().submitsReceived()).isZero();
    }

    @Test
    void everyProblemIsListedAtOnceWithTheFlagAsTyped() throws Exception {
        Files.writeString(dir.resolve("flux-kontext-1.png"), "mine");

        CliRun run = run(
                "generate",
                "--promt",
                "x",
                "--base-url",
                base(),
                "--aspect-ratio",
                "30:9",
                "--count",
                "0",
                "--seed",
                "-1",
                "--timeout",
                "forever",
                "--existing",
                "both",
                "--prefix",
                "my.poster",
                "--provider",
                "fal",
                "--model",
                "flux-kontext-ultra");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err())
                .contains("unknown option --promt; did you mean --prompt?")
                .contains("--prompt TEXT is required")
                .contains("--aspect-ratio: \"30:9\"")
                .contains("--count: \"0\"")
                .contains("--seed: \"-1\"")
                .contains("--model: \"flux-kontext-ultra\"")
                .contains("--timeout needs a duration such as 90s, 10m or 1h, not 'forever'")
                .contains("--existing takes fail, keep-both or overwrite, not 'both'")
                .contains("--prefix: \"my.poster\" is not allowed")
                .contains("Nothing was sent");
        assertThat(run.err()).doesNotContainPattern("\\b(aspectRatio|outputFormat|safetyTolerance|fileNamePattern)\\b");
        assertThat(sim.ledger().submitsReceived()).isZero();
    }

    @Test
    void aTakenFileNameIsListedWithTheOtherProblemsAndTheFlagsThatAvoidIt() throws Exception {
        Files.createDirectories(dir.resolve("art"));
        Files.writeString(dir.resolve("art/flux-kontext-1.png"), "mine");

        CliRun refused = run("generate", "--prompt", "x", "--base-url", base(), "--out", "art", "--timeout", "soon");

        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.err())
                .contains("--timeout needs a duration")
                .contains("--existing: art/flux-kontext-1.png exists and is not replaced")
                .contains("--existing keep-both");
        CliRun kept = run("generate", "--prompt", "x", "--base-url", base(), "--out", "art", "--existing", "keep-both");
        assertThat(kept.exit()).as(kept.all()).isZero();
        assertThat(Files.readString(dir.resolve("art/flux-kontext-1.png"))).isEqualTo("mine");
        assertThat(dir.resolve("art/flux-kontext-1-2.png")).exists();
    }

    @Test
    void aNumberBeyondAnyCountIsToldAsTyped() {
        CliRun run = run(
                "generate",
                "--prompt",
                "x",
                "--base-url",
                base(),
                "--count",
                "99999999999",
                "--safety-tolerance",
                "-7");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err())
                .contains("--count: \"99999999999\" is not allowed; use 1 to 24")
                .contains("--safety-tolerance: \"-7\" is not allowed; use 0 (strictest) to 6 (most permissive)");
    }

    @Test
    void aOneLetterTypoOfACommandGetsASuggestion() {
        CliRun run = run("genrate", "--prompt", "x");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("unknown command 'genrate'; did you mean 'generate'?");
        assertThat(run("edti").err()).contains("did you mean 'edit'?");
        assertThat(run("--prompt", "x").err()).contains("a command comes first");
    }

    @Test
    void localhostReachesTheSimulatorAsWellAs127001() throws Exception {
        CliRun run = run(
                "generate", "--prompt", "by name", "--base-url", "http://localhost:" + sim.port(), "--out", "named");

        assertThat(run.exit()).as(run.all()).isZero();
        assertThat(dir.resolve("named/flux-kontext-1.png")).exists();
        CliRun gateway = run(
                "generate",
                "--prompt",
                "by name",
                "--provider",
                "fal",
                "--base-url",
                "http://localhost:" + sim.port() + "/fal",
                "--out",
                "named-fal");
        assertThat(gateway.exit()).as(gateway.all()).isZero();
    }

    @Test
    void plainHttpToAnotherMachineIsRefusedBecauseTheKeyWouldTravelUnencrypted() {
        CliRun run = CliRun.of(
                dir,
                Map.of("FLUX_KONTEXT_API_KEY", "sk-not-for-http"),
                false,
                "generate",
                "--prompt",
                "x",
                "--base-url",
                "http://api.example.com");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--base-url http://api.example.com would send the API key unencrypted");
        assertThat(run.all()).doesNotContain("sk-not-for-http");
    }

    @Test
    void aModeratedRunDoesNotBlockTheNextRunInTheSameFolder() {
        assertThat(run("generate", "--prompt", "x [sim:moderate-output]", "--base-url", base())
                        .exit())
                .isEqualTo(4);
        CliRun next = run("generate", "--prompt", "x", "--base-url", base());
        assertThat(next.exit()).as(next.all()).isZero();
        assertThat(next.out())
                .contains("flux-kontext-manifest.json exists; kept it and wrote flux-kontext-manifest-2.json");
        assertThat(dir.resolve("flux-kontext-manifest-2.json")).exists();
    }

    @Test
    void simulatedResultsSaySoInTheSidecarTheManifestTheSummaryAndTheJson() throws Exception {
        CliRun run = run("generate", "--prompt", "simulated", "--base-url", base(), "--json");

        assertThat(run.exit()).as(run.all()).isZero();
        ObjectMapper json = new ObjectMapper();
        JsonNode sidecar = json.readTree(dir.resolve("flux-kontext-1.png.json").toFile());
        assertThat(sidecar.get("simulated").asBoolean()).isTrue();
        assertThat(sidecar.get("costSource").asText()).isEqualTo("simulator");
        JsonNode manifest =
                json.readTree(dir.resolve("flux-kontext-manifest.json").toFile());
        assertThat(manifest.get("simulated").asBoolean()).isTrue();
        assertThat(manifest.at("/totals/costSource").asText()).isEqualTo("simulator");
        assertThat(run.err())
                .contains("1 image written in")
                .contains("simulated, nothing was billed (a real provider would have charged $0.08)")
                .doesNotContain("cost reported by the provider");
        assertThat(json.readTree(run.out()).get("simulated").asBoolean()).isTrue();
    }

    @Test
    void missingPromptMissingImageAndUnknownCommandsExitTwo() {
        assertThat(run("generate", "--base-url", base()).err()).contains("--prompt TEXT is required");
        assertThat(run("edit", "--prompt", "x", "--base-url", base()).exit()).isEqualTo(2);
        assertThat(run("edit", "--prompt", "x", "--image", "absent.png", "--base-url", base())
                        .err())
                .contains("does not exist");
        assertThat(run("paint").exit()).isEqualTo(2);
        assertThat(sim.ledger().submitsReceived()).isZero();
    }

    @Test
    void anExistingFileIsNeverReplacedSilently() throws Exception {
        Files.writeString(dir.resolve("flux-kontext-1.png"), "mine");
        CliRun run = run("generate", "--prompt", "x", "--base-url", base());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(Files.readString(dir.resolve("flux-kontext-1.png"))).isEqualTo("mine");
        assertThat(sim.ledger().submitsReceived()).isZero();
    }

    @Test
    void aFailedTaskExitsThree() {
        CliRun run = run("generate", "--prompt", "x [sim:fail]", "--base-url", base());
        assertThat(run.exit()).as(run.all()).isEqualTo(3);
        assertThat(run.out()).contains("failed");
    }

    @Test
    void aModeratedTaskExitsFour() {
        assertThat(run("generate", "--prompt", "x [sim:moderate-output]", "--base-url", base())
                        .exit())
                .isEqualTo(4);
        CliRun request = run("generate", "--prompt", "x [sim:moderate-request]", "--base-url", base(), "--prefix", "r");
        assertThat(request.exit()).isEqualTo(4);
        assertThat(request.out()).contains("moderated");
        assertThat(sim.ledger().billed()).isEmpty();
    }

    @Test
    void aTimeoutExitsFiveAndNamesTheTaskThatMayBeBilled() {
        CliRun run = run("generate", "--prompt", "slow [sim:latency=20s]", "--base-url", base(), "--timeout", "1s");

        assertThat(run.exit()).as(run.all()).isEqualTo(5);
        String taskId = sim.ledger().tasks().get(0).taskId();
        assertThat(run.out()).contains("A charge may have happened").contains(taskId);
    }

    @Test
    void aResetAfterTheSubmitExitsFiveAndIsNotResent() {
        CliRun run = run("generate", "--prompt", "x [sim:reset-after-submit]", "--base-url", base());

        assertThat(run.exit()).as(run.all()).isEqualTo(5);
        assertThat(run.out()).contains("A charge may have happened");
        assertThat(sim.ledger().submitsReceived()).as("never resent").isEqualTo(1);
    }

    @Test
    void aRefusedKeyExitsSixAndTheKeyIsNeverPrinted() {
        sim.close();
        sim = FluxKontextSimulator.start(
                SimulatorSettings.builder().acceptedKeys(Set.of("right-key")).build());

        CliRun run = CliRun.of(
                dir,
                Map.of("FLUX_KONTEXT_API_KEY", "sk-wrong-4711"),
                false,
                "generate",
                "--prompt",
                "x",
                "--base-url",
                base(),
                "--json");

        assertThat(run.exit()).as(run.all()).isEqualTo(6);
        assertThat(run.all()).doesNotContain("sk-wrong-4711");
    }

    @Test
    void anAccountWithoutCreditsExitsSix() {
        sim.close();
        sim = FluxKontextSimulator.start(
                SimulatorSettings.builder().credits(BigDecimal.ZERO).build());
        assertThat(run("generate", "--prompt", "x", "--base-url", base()).exit())
                .isEqualTo(6);
    }

    @Test
    void aKeyFileIsUsedAndItsContentNeverPrinted() throws Exception {
        sim.close();
        sim = FluxKontextSimulator.start(SimulatorSettings.builder()
                .latency(Duration.ofMillis(100))
                .acceptedKeys(Set.of("sk-from-file-99"))
                .build());
        Files.writeString(dir.resolve("key.txt"), "sk-from-file-99\n");

        CliRun run = run("generate", "--prompt", "x", "--base-url", base(), "--api-key-file", "key.txt");

        assertThat(run.exit()).as(run.all()).isZero();
        assertThat(run.all()).doesNotContain("sk-from-file-99");
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> !p.getFileName().toString().equals("key.txt"))
                    .toList()) {
                assertThat(Files.readAllBytes(f)).asString().doesNotContain("sk-from-file-99");
            }
        }
    }

    @Test
    void aKeyFlagIsRefused() {
        CliRun run = run("generate", "--prompt", "x", "--api-key", "sk-on-the-command-line");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.all()).doesNotContain("sk-on-the-command-line").contains("FLUX_KONTEXT_API_KEY");
    }

    @Test
    void helpAndVersion() {
        CliRun overview = run("--help");
        assertThat(overview.exit()).isZero();
        assertThat(overview.out())
                .contains("generate")
                .contains("edit")
                .contains("simulate")
                .contains("demo")
                .contains("Exit codes");
        for (String command : new String[] {"generate", "edit", "simulate", "demo"}) {
            CliRun help = run(command, "--help");
            assertThat(help.exit()).isZero();
            assertThat(help.out()).startsWith("Usage: flux-kontext " + command);
        }
        assertThat(run("edit", "--help").out()).contains("--image PATH_OR_URL").contains("--safety-tolerance 0-6");
        assertThat(run("--version").out()).matches("flux-kontext \\d+\\.\\d+.*\\R");
        assertThat(run().exit()).isEqualTo(2);
    }
}
