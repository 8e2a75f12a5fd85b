package io.jenkins.plugins.fluxkontext.steps;

import static io.jenkins.plugins.fluxkontext.testing.SecretTextCredentials.API_KEY;
import static io.jenkins.plugins.fluxkontext.testing.SecretTextCredentials.addSecretText;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import hudson.model.Job;
import hudson.model.Result;
import hudson.model.Run;
import io.jenkins.plugins.fluxkontext.config.FluxKontextGlobalConfiguration;
import io.jenkins.plugins.fluxkontext.spending.ControllerSpending;
import io.jenkins.plugins.fluxkontext.testing.BflServer;
import io.jenkins.plugins.fluxkontext.testing.PipelineOnAgent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The Pipeline steps when what they are given, or what they find on the agent, is wrong (docs/reliability.md, "A
 * hostile or flaky provider"): two steps of one build write under names of their own, a refusal before the submit
 * gives the step's reservation back, an output folder that reaches out of the workspace through a link is refused,
 * and an input image that is not a URL fails the step naming it, with nothing sent and nothing charged.
 */
@WithJenkins
class HostileInputStepTest {

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

    private String step(String name, String parameters) {
        return name + "(credentialsId: 'flux-key', baseUrl: '" + bfl.baseUrl() + "', " + parameters + ")";
    }

    private Run<?, ?> run(String name, String body, Result expected) throws Exception {
        Job<?, ?> job = PipelineOnAgent.pipeline(r, name, "node {\n" + body + "\n}");
        return PipelineOnAgent.build(r, job, expected);
    }

    private static String spentByJob(Run<?, ?> run) {
        return ControllerSpending.get()
                .spentByJob(run.getParent().getFullName())
                .stripTrailingZeros()
                .toPlainString();
    }

    @Test
    void h05_twoStepsOfOneBuildInOneFolderEachWriteUnderTheirOwnNames() throws Exception {
        Run<?, ?> b = run(
                "generate-then-edit",
                """
                def images = %s
                def edits = %s
                echo "paths=${images[0].path} ${edits[0].path}"
                """.formatted(
                                step("fluxKontextGenerate", "prompt: 'a red lighthouse'"),
                                step(
                                        "fluxKontextEdit",
                                        "prompt: 'make it winter', image: 'flux-kontext/flux-kontext-1-1.png'")),
                Result.SUCCESS);

        assertThat(bfl.submitCount()).isEqualTo(2);
        r.assertLogContains("paths=flux-kontext/flux-kontext-1-1.png flux-kontext/flux-kontext-1-step2-1.png", b);
        assertThat(b.getArtifacts())
                .extracting(a -> a.relativePath)
                .contains(
                        "flux-kontext/flux-kontext-1-1.png",
                        "flux-kontext/flux-kontext-1-manifest.json",
                        "flux-kontext/flux-kontext-1-step2-1.png",
                        "flux-kontext/flux-kontext-1-step2-manifest.json");
    }

    @Test
    void h05_aStepRefusedOnTheAgentBeforeItsSubmitGivesItsReservationBack() throws Exception {
        FluxKontextGlobalConfiguration.get().setMaxCostPerJob("0.10");

        Run<?, ?> b = run(
                "refused-then-generated",
                """
                writeFile file: 'flux-kontext/taken-1.png', text: 'an image someone else made'
                try {
                  %s
                } catch (e) {
                  echo "refused: ${e.message}"
                }
                %s
                """.formatted(
                                step("fluxKontextGenerate", "prompt: 'first', fileNamePattern: 'taken-{index}.{ext}'"),
                                step("fluxKontextGenerate", "prompt: 'second'")),
                Result.SUCCESS);

        r.assertLogContains("refused: ", b);
        r.assertLogContains("taken-1.png", b);
        assertThat(bfl.submitCount()).as("only the second step sent anything").isEqualTo(1);
        assertThat(spentByJob(b)).isEqualTo("0.08");
    }

    @Test
    void h07_anOutputFolderBehindALinkOutOfTheWorkspaceIsRefusedAndNothingIsSentOrCharged(@TempDir Path outside)
            throws Exception {
        assumeTrue(!System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("win"), "a POSIX shell links");

        Run<?, ?> b = run(
                "linked-out",
                """
                sh "ln -s '%s' assets"
                %s
                """.formatted(outside, step("fluxKontextGenerate", "prompt: 'x', outputDir: 'assets/images'")),
                Result.FAILURE);

        r.assertLogContains("symbolic link", b);
        assertThat(bfl.requestCount()).isZero();
        try (Stream<Path> written = Files.walk(outside)) {
            assertThat(written.filter(p -> !p.equals(outside))).isEmpty();
        }
        assertThat(spentByJob(b)).isEqualTo("0");
    }

    @Test
    void h11_anInputImageThatIsNotAUrlFailsTheStepNamingItAndHoldsNoReservation() throws Exception {
        FluxKontextGlobalConfiguration.get().setMaxCostPerJob("0.10");

        Run<?, ?> b = run(
                "bad-image-url",
                """
                try {
                  %s
                } catch (e) {
                  echo "refused: ${e.message}"
                }
                %s
                """.formatted(
                                step("fluxKontextEdit", "prompt: 'add snow', image: 'http://bad host/x.png'"),
                                step("fluxKontextGenerate", "prompt: 'then this'")),
                Result.SUCCESS);

        r.assertLogContains("http://bad host/x.png", b);
        r.assertLogNotContains("IllegalArgumentException", b);
        assertThat(bfl.submitCount()).as("only the second step sent anything").isEqualTo(1);
        assertThat(spentByJob(b)).isEqualTo("0.08");
    }
}
