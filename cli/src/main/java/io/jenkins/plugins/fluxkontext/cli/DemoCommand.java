package io.jenkins.plugins.fluxkontext.cli;

import io.jenkins.plugins.fluxkontext.core.engine.GenerationJob;
import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
import io.jenkins.plugins.fluxkontext.core.model.InputImage;
import io.jenkins.plugins.fluxkontext.core.output.ExistingFilePolicy;
import io.jenkins.plugins.fluxkontext.core.output.OutputPlan;
import io.jenkins.plugins.fluxkontext.core.provider.ApiKey;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderEndpoint;
import io.jenkins.plugins.fluxkontext.core.provider.catalog.Providers;
import io.jenkins.plugins.fluxkontext.core.task.WrittenImage;
import io.jenkins.plugins.fluxkontext.simulator.FluxKontextSimulator;
import io.jenkins.plugins.fluxkontext.simulator.LatencyDistribution;
import io.jenkins.plugins.fluxkontext.simulator.SimulatorSettings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code flux-kontext demo}: the whole product in one command with no key and no bill. Starts the simulator in this
 * process, generates an image, edits that image, and says where the images, sidecars and manifests are. A key in the
 * environment changes nothing: spending money takes the explicit {@code --real}, which runs one generate at Black
 * Forest Labs.
 */
final class DemoCommand {

    static final String GENERATE_PROMPT =
            "A red lighthouse on a cliff above a stormy sea at dusk, warm light in the windows";
    static final String EDIT_PROMPT = "Make it a snowy winter night with the northern lights";
    static final long SEED = 2024;

    /** Where {@code --real} goes: Black Forest Labs itself. */
    static final ProviderEndpoint REAL_ENDPOINT = ProviderEndpoint.defaultFor(Providers.byId("bfl"));

    static List<Option> options() {
        return List.of(
                Option.value("out", "DIR", "where the demo's files go (default ./flux-kontext-demo)"),
                Option.flag(
                        "real",
                        "instead of the simulator: ONE real generate at Black Forest Labs, billed (about $0.08); "
                                + "needs $" + ApiKeySource.ENV + " or --api-key-file"),
                Option.value("api-key-file", "FILE", "with --real: read the API key from FILE"),
                Option.flag("help", "show this help"));
    }

    /** The demo's two runs. */
    record Outcome(GenerationRun.Finished generated, GenerationRun.Finished edited, ExitCode exit) {}

    /**
     * The simulator demo.
     *
     * @param keyInEnvironment whether {@value ApiKeySource#ENV} is set: the demo still bills nothing, and says so
     */
    static Outcome run(Path out, PrintStream print, boolean terminal, boolean keyInEnvironment)
            throws InterruptedException {
        SimulatorSettings settings = SimulatorSettings.builder()
                .latency(LatencyDistribution.uniform(Duration.ofMillis(1200), Duration.ofMillis(2500)))
                .build();
        try (FluxKontextSimulator sim = FluxKontextSimulator.start(settings)) {
            print.println("Started the FLUX.1 Kontext simulator at " + sim.baseUrl()
                    + " (speaks BFL's API; no API key needed, nothing is billed).");
            ProviderEndpoint endpoint = new ProviderEndpoint(Providers.byId("bfl"), sim.baseUrl());
            ApiKey key = ApiKey.of(FluxKontextSimulator.DEMO_KEY);
            GenerationRun runner = new GenerationRun(print, terminal, out.getParent(), Duration.ofMinutes(2));
            // The demo's own file names are overwritten on a rerun (and the engine says so); nothing else is touched.
            OutputPlan plan = OutputPlan.into(out).withExistingFiles(ExistingFilePolicy.OVERWRITE);

            print.println();
            print.println("Step 1 of 2: generate \"" + GENERATE_PROMPT + "\"");
            GenerationRequest generate = GenerationRequest.builder()
                    .prompt(GENERATE_PROMPT)
                    .seed(SEED)
                    .aspectRatio("16:9")
                    .outputFormat("png")
                    .build();
            GenerationRun.Finished generated =
                    runner.execute(new GenerationJob(generate, endpoint, key, plan.withPrefix("demo-generate")));
            if (generated.result().images().isEmpty()) {
                print.println("The generate step wrote no image; the edit step is skipped.");
                return new Outcome(generated, null, generated.exit());
            }

            Path input = generated.result().images().get(0).file();
            print.println();
            print.println("Step 2 of 2: edit " + out.getParent().relativize(input) + ": \"" + EDIT_PROMPT + "\"");
            GenerationRequest edit = GenerationRequest.builder()
                    .prompt(EDIT_PROMPT)
                    .seed(SEED)
                    .inputImage(new InputImage.LocalFile(input))
                    .outputFormat("png")
                    .build();
            GenerationRun.Finished edited =
                    runner.execute(new GenerationJob(edit, endpoint, key, plan.withPrefix("demo-edit")));

            print.println();
            print.println("Done. Files in " + out + ":");
            List<WrittenImage> images = new ArrayList<>(generated.result().images());
            images.addAll(edited.result().images());
            print.println("  images:    "
                    + images.stream()
                            .map(i -> i.file().getFileName() + " (" + i.width() + "x" + i.height() + ")")
                            .collect(Collectors.joining(", ")));
            print.println("  sidecars:  "
                    + images.stream()
                            .filter(i -> i.sidecar() != null)
                            .map(i -> i.sidecar().getFileName().toString())
                            .collect(Collectors.joining(", ")));
            print.println("  manifests: "
                    + Stream.of(generated, edited)
                            .map(f -> f.result().manifest())
                            .filter(Objects::nonNull)
                            .map(m -> m.getFileName().toString())
                            .collect(Collectors.joining(", ")));
            print.println();
            print.print(sim.ledger().table());
            print.println();
            if (keyInEnvironment) {
                print.println(ApiKeySource.ENV + " is set, and still nothing was billed: the demo always runs against "
                        + "the simulator. For one real generate at Black Forest Labs, billed to your account (about "
                        + "$0.08): scripts/demo --real");
            } else {
                print.println("For one real image: export " + ApiKeySource.ENV + "=<your BFL API key>, then "
                        + "scripts/demo --real (billed to your account, about $0.08).");
            }
            return new Outcome(generated, edited, generated.exit().worse(edited.exit()));
        }
    }

    /**
     * {@code demo --real}: one generate of the demo's prompt at {@code endpoint} (Black Forest Labs; a test passes
     * the simulator), with the key from the environment or {@code keyFile}, into {@code out} beside earlier files.
     *
     * @throws UsageException when there is no key: nothing is sent
     */
    static GenerationRun.Finished runReal(
            ProviderEndpoint endpoint,
            Map<String, String> env,
            Path keyFile,
            Path out,
            PrintStream print,
            boolean terminal)
            throws UsageException, InterruptedException {
        ApiKey key = ApiKeySource.resolve(env, keyFile, endpoint.baseUrl());
        print.println("Running ONE REAL generate at " + endpoint.baseUrl() + " (Black Forest Labs): billed to your "
                + "account, about $0.08 for flux-kontext-max.");
        print.println("Generate \"" + GENERATE_PROMPT + "\"");
        GenerationRequest generate = GenerationRequest.builder()
                .prompt(GENERATE_PROMPT)
                .aspectRatio("16:9")
                .outputFormat("png")
                .build();
        OutputPlan plan =
                OutputPlan.into(out).withPrefix("real-generate").withExistingFiles(ExistingFilePolicy.KEEP_BOTH);
        return new GenerationRun(print, terminal, out.getParent(), Duration.ofMinutes(10))
                .execute(new GenerationJob(generate, endpoint, key, plan));
    }
}
