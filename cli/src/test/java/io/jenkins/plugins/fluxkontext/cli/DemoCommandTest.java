package io.jenkins.plugins.fluxkontext.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderEndpoint;
import io.jenkins.plugins.fluxkontext.core.provider.catalog.Providers;
import io.jenkins.plugins.fluxkontext.simulator.FluxKontextSimulator;
import io.jenkins.plugins.fluxkontext.simulator.SimulatorSettings;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
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
                .contains("Would have billed: 2 task(s), $0.16")
                .contains("simulated, nothing was billed (a real provider would have charged $0.08)")
                .doesNotContain("cost reported by the provider")
                .contains(
                        "For one real image: export FLUX_KONTEXT_API_KEY=<your BFL API key>, then scripts/demo --real");
        assertThat(sidecar.get("simulated").asBoolean()).isTrue();
        assertThat(sidecar.get("costSource").asText()).isEqualTo("simulator");
        assertThat(manifest.get("simulated").asBoolean()).isTrue();
    }

    @Test
    void aKeyInTheEnvironmentStillBillsNothingAndTheDemoSaysHowToSpend(@TempDir Path dir) throws Exception {
        CliRun run = CliRun.of(dir, Map.of("FLUX_KONTEXT_API_KEY", "sk-live-looking-0042"), false, "demo");

        assertThat(run.exit()).as(run.all()).isZero();
        assertThat(run.out())
                .contains("FLUX_KONTEXT_API_KEY is set, and still nothing was billed")
                .contains("scripts/demo --real")
                .doesNotContain("api.bfl.ai")
                .doesNotContain("sk-live-looking-0042");
        JsonNode sidecar = JSON.readTree(
                dir.resolve("flux-kontext-demo/demo-generate-1.png.json").toFile());
        assertThat(sidecar.get("simulated").asBoolean()).isTrue();
        assertThat(sidecar.get("source").asText()).startsWith("http://127.0.0.1:");
    }

    @Test
    void theRealDemoNeedsAKeyAndSendsNothingWithoutOne(@TempDir Path dir) {
        CliRun run = CliRun.of(dir, "demo", "--real");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("no API key: set FLUX_KONTEXT_API_KEY or pass --api-key-file FILE");
        assertThat(dir.resolve("flux-kontext-demo")).doesNotExist();
        assertThat(CliRun.of(dir, "demo", "--api-key-file", "k").err()).contains("--api-key-file is for --real");
    }

    @Test
    void theRealDemoIsOneGenerateBesideEarlierFiles(@TempDir Path dir) throws Exception {
        try (FluxKontextSimulator sim = FluxKontextSimulator.start(SimulatorSettings.builder()
                .latency(Duration.ofMillis(100))
                .acceptedKeys(Set.of("sk-bfl"))
                .build())) {
            ProviderEndpoint standIn = new ProviderEndpoint(Providers.byId("bfl"), sim.baseUrl());
            Path out = dir.resolve("flux-kontext-demo");
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            PrintStream print = new PrintStream(printed, true, StandardCharsets.UTF_8);
            Map<String, String> env = Map.of("FLUX_KONTEXT_API_KEY", "sk-bfl");

            GenerationRun.Finished first = DemoCommand.runReal(standIn, env, null, out, print, false);
            GenerationRun.Finished second = DemoCommand.runReal(standIn, env, null, out, print, false);

            assertThat(first.exit()).isEqualTo(ExitCode.OK);
            assertThat(second.exit()).isEqualTo(ExitCode.OK);
            assertThat(out.resolve("real-generate-1.png")).exists();
            assertThat(out.resolve("real-generate-1-2.png")).as("kept both").exists();
            assertThat(printed.toString(StandardCharsets.UTF_8))
                    .contains("Running ONE REAL generate at " + sim.baseUrl())
                    .contains("billed to your account");
            assertThat(sim.ledger().billedCount()).isEqualTo(2);
            assertThat(sim.ledger().billed().get(0).promptExcerpt()).startsWith("A red lighthouse");
        }
        assertThat(DemoCommand.REAL_ENDPOINT.baseUrl().toString()).isEqualTo("https://api.bfl.ai");
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
