package io.jenkins.plugins.fluxkontext.steps;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Job;
import hudson.model.Result;
import hudson.model.Run;
import hudson.slaves.DumbSlave;
import io.jenkins.plugins.fluxkontext.config.FluxKontextGlobalConfiguration;
import io.jenkins.plugins.fluxkontext.testing.BflServer;
import io.jenkins.plugins.fluxkontext.testing.PipelineOnAgent;
import io.jenkins.plugins.fluxkontext.testing.SecretTextCredentials;
import io.jenkins.plugins.fluxkontext.testing.TestPng;
import java.util.Base64;
import java.util.List;
import org.jenkinsci.plugins.workflow.cps.SnippetizerTester;
import org.jenkinsci.plugins.workflow.steps.StepConfigTester;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** fluxKontextEdit in a Pipeline on an agent: input images are read from the agent's workspace. */
@WithJenkins
class FluxKontextEditStepTest {

    private JenkinsRule r;
    private BflServer bfl;
    private DumbSlave agent;

    @BeforeEach
    void setUp(JenkinsRule rule) throws Exception {
        r = rule;
        bfl = new BflServer();
        agent = PipelineOnAgent.startAgent(r);
        SecretTextCredentials.addSecretText("flux-key", SecretTextCredentials.API_KEY);
    }

    @AfterEach
    void tearDown() {
        bfl.close();
    }

    /** Writes a real PNG into the workspace on the agent first, as a checkout or an earlier step would. */
    private Run<?, ?> run(String name, String stepCall, Result expected) throws Exception {
        String png = Base64.getEncoder().encodeToString(TestPng.bytes(32, 32));
        Job<?, ?> job = PipelineOnAgent.pipeline(r, name, """
                node {
                  writeFile file: 'art/product.png', text: '%s', encoding: 'Base64'
                  writeFile file: 'art/logo.png', text: '%s', encoding: 'Base64'
                  def images = %s
                  echo "paths=${images.collect { it.path }}"
                }
                """.formatted(png, png, stepCall));
        Run<?, ?> b = PipelineOnAgent.build(r, job, expected);
        // The input images were read from the agent's workspace, not the controller's.
        PipelineOnAgent.assertRanOn(r, agent, b);
        return b;
    }

    @Test
    void editsAnImageFromTheWorkspace() throws Exception {
        Run<?, ?> b = run(
                "edit",
                "fluxKontextEdit(prompt: 'make the background blue', image: 'art/product.png',"
                        + " credentialsId: 'flux-key', baseUrl: '" + bfl.baseUrl() + "')",
                Result.SUCCESS);

        r.assertLogContains("paths=[flux-kontext/flux-kontext-1-1.png]", b);
        r.assertLogContains("Editing 1 image", b);
        assertThat(bfl.submitBodies).hasSize(1);
        assertThat(bfl.submitBodies.get(0))
                .contains("\"input_image\":\"" + Base64.getEncoder().encodeToString(TestPng.bytes(32, 32)) + "\"");
        assertThat(b.getArtifacts()).extracting(a -> a.relativePath).contains("flux-kontext/flux-kontext-1-1.png");
    }

    @Test
    void sendsSeveralImagesAsReferences() throws Exception {
        Run<?, ?> b = run(
                "multi",
                "fluxKontextEdit(prompt: 'put the logo on the product',"
                        + " images: ['art/product.png', 'art/logo.png'], credentialsId: 'flux-key', baseUrl: '"
                        + bfl.baseUrl()
                        + "')",
                Result.SUCCESS);

        assertThat(bfl.submitBodies.get(0)).contains("\"input_image\":", "\"input_image_2\":");
        r.assertLogContains("paths=[flux-kontext/flux-kontext-1-1.png]", b);
    }

    @Test
    void aMissingInputImageFailsBeforeAnyCall() throws Exception {
        Run<?, ?> b = run(
                "missing",
                "fluxKontextEdit(prompt: 'x', image: 'art/nope.png', credentialsId: 'flux-key'," + " baseUrl: '"
                        + bfl.baseUrl() + "')",
                Result.FAILURE);

        r.assertLogContains("art/nope.png", b);
        r.assertLogContains("does not exist", b);
        assertThat(bfl.requestCount()).isZero();
    }

    /**
     * An input the agent cannot even read as a path or URL fails there, before anything is sent; the request's estimate
     * must then not stay held against the limits (nor be charged): the next request of the build fits its limit.
     */
    @Test
    void aRequestThatFailsOnTheAgentBeforeSubmittingHoldsNoMoney() throws Exception {
        FluxKontextGlobalConfiguration.get().setMaxCostPerBuild("0.10");
        String png = Base64.getEncoder().encodeToString(TestPng.bytes(32, 32));
        String step = "fluxKontextEdit(prompt: 'make it night', credentialsId: 'flux-key', baseUrl: '" + bfl.baseUrl()
                + "', image: ";
        Job<?, ?> job = PipelineOnAgent.pipeline(r, "limits", """
                node {
                  writeFile file: 'art/product.png', text: '%s', encoding: 'Base64'
                  try {
                    %s'https://exa mple.com/product.png')
                  } catch (e) {
                    echo "first: ${e.message}"
                  }
                  def images = %s'art/product.png')
                  echo "paths=${images.collect { it.path }}"
                }
                """.formatted(png, step, step));

        Run<?, ?> b = PipelineOnAgent.build(r, job, Result.SUCCESS);

        PipelineOnAgent.assertRanOn(r, agent, b);
        r.assertLogContains("nothing was submitted", b);
        // The build's second step call: its files are named apart from the first's.
        r.assertLogContains("paths=[flux-kontext/flux-kontext-1-step2-1.png]", b);
        r.assertLogContains("this build has spent $0.08", b);
        assertThat(bfl.submitBodies).hasSize(1);
    }

    @Test
    void anEditWithoutImagesIsRefused() throws Exception {
        Run<?, ?> b = run("none", "fluxKontextEdit(prompt: 'x', credentialsId: 'flux-key')", Result.FAILURE);

        r.assertLogContains("image: no value is not allowed", b);
        assertThat(bfl.requestCount()).isZero();
    }

    @Test
    void configRoundTripAndSnippet() throws Exception {
        FluxKontextEditStep step = new FluxKontextEditStep("make it blue");
        step.setImage("art/product.png");
        step.setCredentialsId("flux-key");
        step.setOutputDir("edits");

        r.assertEqualDataBoundBeans(step, new StepConfigTester(r).configRoundTrip(step));
        new SnippetizerTester(r)
                .assertRoundTrip(
                        step,
                        "fluxKontextEdit credentialsId: 'flux-key', image: 'art/product.png', outputDir: 'edits', prompt: 'make it blue'");
    }

    @Test
    void theImagesListIsKeptForPipelines() {
        FluxKontextEditStep step = new FluxKontextEditStep("x");
        step.setImages(List.of(" a.png ", "", "b.png"));
        assertThat(step.getImages()).containsExactly("a.png", "b.png");
    }
}
