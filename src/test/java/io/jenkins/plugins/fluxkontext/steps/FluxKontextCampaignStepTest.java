package io.jenkins.plugins.fluxkontext.steps;

import static io.jenkins.plugins.fluxkontext.testing.SecretTextCredentials.API_KEY;
import static io.jenkins.plugins.fluxkontext.testing.SecretTextCredentials.addSecretText;
import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Job;
import hudson.model.Result;
import hudson.model.Run;
import io.jenkins.plugins.fluxkontext.action.FluxKontextAction;
import io.jenkins.plugins.fluxkontext.action.GalleryEntry;
import io.jenkins.plugins.fluxkontext.freestyle.FluxKontextGenerateBuilder;
import io.jenkins.plugins.fluxkontext.testing.BflServer;
import io.jenkins.plugins.fluxkontext.testing.FreestyleJobs;
import io.jenkins.plugins.fluxkontext.testing.PipelineOnAgent;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * Campaign assets in Pipelines on an agent, against a local server speaking BFL: one creative in every format in one
 * call, a re-run of the job that pays nothing for the images it already has, an image made again from its sidecar.
 * The same stories against the provider simulator (its ledger, the sizes of each format) run in the central-only
 * build through the engine and the command line.
 */
@WithJenkins
class FluxKontextCampaignStepTest {

    private JenkinsRule r;
    private BflServer bfl;

    @BeforeEach
    void setUp(JenkinsRule rule) throws Exception {
        r = rule;
        bfl = new BflServer();
        PipelineOnAgent.startAgent(r);
        addSecretText("flux-key", API_KEY);
    }

    @AfterEach
    void tearDown() {
        bfl.close();
    }

    private String hero(String extra) {
        return "fluxKontextGenerate(prompt: 'Hero shot of a red sneaker on white', credentialsId: 'flux-key', baseUrl: '"
                + bfl.baseUrl() + "', aspectRatios: ['1:1', '9:16', '16:9'], seed: 2024" + extra + ")";
    }

    private Job<?, ?> pipeline(String name, String stepCall) throws Exception {
        return PipelineOnAgent.pipeline(r, name, """
                node {
                  def images = %s
                  echo "paths=${images.collect { it.path }}"
                  echo "formats=${images.collect { it.aspectRatio }}"
                  echo "reused=${images.collect { it.reused }} from=${images.collect { it.reusedFrom }}"
                }
                """.formatted(stepCall));
    }

    private static byte[] artifact(Run<?, ?> build, String path) throws Exception {
        try (InputStream in = build.getArtifactManager().root().child(path).open()) {
            return in.readAllBytes();
        }
    }

    @Test
    void threeFormatsInOneCallMakeOneTaskPerFormatFilesNamedByFormatAndOneManifest() throws Exception {
        Run<?, ?> b = PipelineOnAgent.build(r, pipeline("formats", hero("")), Result.SUCCESS);

        assertThat(bfl.submitCount()).isEqualTo(3);
        assertThat(bfl.submitBodies)
                .anyMatch(body -> body.contains("\"aspect_ratio\":\"1:1\""))
                .anyMatch(body -> body.contains("\"aspect_ratio\":\"9:16\""))
                .anyMatch(body -> body.contains("\"aspect_ratio\":\"16:9\""));
        r.assertLogContains(
                "paths=[flux-kontext/flux-kontext-1-1x1-1.png, flux-kontext/flux-kontext-1-9x16-1.png,"
                        + " flux-kontext/flux-kontext-1-16x9-1.png]",
                b);
        r.assertLogContains("formats=[1:1, 9:16, 16:9]", b);
        r.assertLogContains("Generating 3 images in 3 formats (1:1, 9:16, 16:9)", b);
        assertThat(b.getArtifacts())
                .extracting(a -> a.relativePath)
                .filteredOn(p -> p.endsWith("manifest.json"))
                .hasSize(1);
    }

    @Test
    void theSameJobTwiceWithASeedPaysOnceAndTheSecondBuildCopiesTheImagesMarkedReused() throws Exception {
        Job<?, ?> job = pipeline("rerun", hero(""));
        Run<?, ?> first = PipelineOnAgent.build(r, job, Result.SUCCESS);

        Run<?, ?> second = PipelineOnAgent.build(r, job, Result.SUCCESS);

        assertThat(bfl.submitCount()).as("the second build sends nothing").isEqualTo(3);
        r.assertLogContains("3 of 3 images were made by build #1 with exactly this request", second);
        r.assertLogContains("reused=[true, true, true] from=[build #1, build #1, build #1]", second);
        r.assertLogContains("from build #1; nothing sent, nothing billed", second);
        for (String format : List.of("1x1", "9x16", "16x9")) {
            assertThat(artifact(second, "flux-kontext/flux-kontext-2-" + format + "-1.png"))
                    .isEqualTo(artifact(first, "flux-kontext/flux-kontext-1-" + format + "-1.png"));
        }
        assertThat(new String(artifact(second, "flux-kontext/flux-kontext-2-9x16-1.png.json")))
                .contains("\"reusedFrom\" : \"build #1\"");
        GalleryEntry page =
                second.getAction(FluxKontextAction.class).getEntries().get(0);
        assertThat(page.getTiles()).allSatisfy(t -> {
            assertThat(t.getStatus()).isEqualTo("reused");
            assertThat(t.getReusedFrom()).isEqualTo("build #1");
        });
        assertThat(second.getAction(FluxKontextAction.class).spentUsd()).isZero();
    }

    @Test
    void changingOneParameterOrSayingNoneMakesTheImagesAgain() throws Exception {
        PipelineOnAgent.build(r, pipeline("changed", hero("")), Result.SUCCESS);
        Job<?, ?> changed = pipeline("changed", hero(", safetyTolerance: 3"));

        PipelineOnAgent.build(r, changed, Result.SUCCESS);
        assertThat(bfl.submitCount()).isEqualTo(6);

        PipelineOnAgent.build(r, pipeline("changed", hero(", safetyTolerance: 3, reuse: 'none'")), Result.SUCCESS);
        assertThat(bfl.submitCount()).isEqualTo(9);
    }

    @Test
    void anotherJobsImagesAreNeverLookedAt() throws Exception {
        PipelineOnAgent.build(r, pipeline("one", hero("")), Result.SUCCESS);

        Run<?, ?> other = PipelineOnAgent.build(r, pipeline("two", hero("")), Result.SUCCESS);

        assertThat(bfl.submitCount()).isEqualTo(6);
        r.assertLogContains("reused=[false, false, false]", other);
    }

    @Test
    void aReplayFromASidecarSendsTheRequestThatMadeTheImage() throws Exception {
        Job<?, ?> job = PipelineOnAgent.pipeline(
                r, "replay", """
                node {
                  if (currentBuild.number == 1) {
                    %s
                  } else {
                    def again = fluxKontextGenerate(fromSidecar: 'flux-kontext/flux-kontext-1-9x16-1.png.json',
                                                    credentialsId: 'flux-key', baseUrl: '%s', reuse: 'none')
                    echo "again=${again[0].path} ${again[0].aspectRatio} seed ${again[0].seed}"
                  }
                }
                """.formatted(hero(", safetyTolerance: 4, outputFormat: 'png'"), bfl.baseUrl()));
        PipelineOnAgent.build(r, job, Result.SUCCESS);
        String original = bfl.submitBodies.stream()
                .filter(b -> b.contains("9:16"))
                .findFirst()
                .orElseThrow();

        Run<?, ?> replay = PipelineOnAgent.build(r, job, Result.SUCCESS);

        assertThat(bfl.submitCount()).isEqualTo(4);
        assertThat(bfl.submitBodies.get(3)).isEqualTo(original);
        r.assertLogContains("again=flux-kontext/flux-kontext-2-1.png 9:16 seed", replay);
        r.assertLogContains("Making the image of flux-kontext/flux-kontext-1-9x16-1.png.json again", replay);
    }

    @Test
    void aFreestyleStepTakesTheFormatsAsTextAndReusesLikeAPipeline() throws Exception {
        FluxKontextGenerateBuilder step = new FluxKontextGenerateBuilder("Banner for the spring sale");
        step.setCredentialsId("flux-key");
        step.setBaseUrl(bfl.baseUrl());
        step.setAspectRatios("1:1, 16:9");
        step.setSeed(7L);
        Job<?, ?> job = FreestyleJobs.withSteps(r, "banner", step);

        FreestyleJobs.build(r, job, Result.SUCCESS);
        Run<?, ?> second = FreestyleJobs.build(r, job, Result.SUCCESS);

        assertThat(bfl.submitCount()).isEqualTo(2);
        assertThat(second.getArtifacts())
                .extracting(a -> a.relativePath)
                .contains("flux-kontext/flux-kontext-2-1x1-1.png", "flux-kontext/flux-kontext-2-16x9-1.png");
        r.assertLogContains("reused", second);
    }
}
