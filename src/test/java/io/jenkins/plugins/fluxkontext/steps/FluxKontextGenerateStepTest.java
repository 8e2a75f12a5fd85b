package io.jenkins.plugins.fluxkontext.steps;

import static io.jenkins.plugins.fluxkontext.testing.SecretTextCredentials.API_KEY;
import static io.jenkins.plugins.fluxkontext.testing.SecretTextCredentials.addSecretText;
import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.plugins.credentials.Credentials;
import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import hudson.model.Job;
import hudson.model.Result;
import hudson.model.Run;
import hudson.security.ACL;
import hudson.slaves.DumbSlave;
import io.jenkins.plugins.fluxkontext.testing.BflServer;
import io.jenkins.plugins.fluxkontext.testing.PipelineOnAgent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.jenkinsci.plugins.workflow.actions.WarningAction;
import org.jenkinsci.plugins.workflow.cps.SnippetizerTester;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.steps.StepConfigTester;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** fluxKontextGenerate in a Pipeline on an agent, against a local server speaking BFL. */
@WithJenkins
class FluxKontextGenerateStepTest {

    private JenkinsRule r;
    private BflServer bfl;
    private DumbSlave agent;

    @BeforeEach
    void setUp(JenkinsRule rule) throws Exception {
        r = rule;
        bfl = new BflServer();
        agent = PipelineOnAgent.startAgent(r);
        addSecretText("flux-key", API_KEY);
    }

    @AfterEach
    void tearDown() {
        bfl.close();
    }

    private Run<?, ?> run(String stepCall, Result expected) throws Exception {
        Job<?, ?> job = PipelineOnAgent.pipeline(r, "p" + System.nanoTime(), """
                node {
                  def images = %s
                  echo "paths=${images.collect { it.path }}"
                  echo "first=${images[0].taskId} ${images[0].width}x${images[0].height} ${images[0].format} ${images[0].provider} ${images[0].model} seed ${images[0].seed}"
                  echo "onDisk=${fileExists(images[0].path)}"
                }
                """.formatted(stepCall));
        Run<?, ?> b = PipelineOnAgent.build(r, job, expected);
        PipelineOnAgent.assertRanOn(r, agent, b);
        return b;
    }

    private String step(String extra) {
        return "fluxKontextGenerate(prompt: 'a red fox in the snow, studio light', credentialsId: 'flux-key', baseUrl: '"
                + bfl.baseUrl() + "'" + extra + ")";
    }

    @Test
    void writesTheImagesIntoTheWorkspaceArchivesThemAndReturnsThem() throws Exception {
        Run<?, ?> b = run(step(", count: 2"), Result.SUCCESS);

        assertThat(bfl.submitCount()).isEqualTo(2);
        r.assertLogContains("paths=[flux-kontext/flux-kontext-1-1.png, flux-kontext/flux-kontext-1-2.png]", b);
        r.assertLogContains("first=task-1 64x48 png bfl flux-kontext-max seed 1234", b);
        r.assertLogContains("onDisk=true", b);
        r.assertLogContains("\"a red fox in the snow, studio light\"", b);
        r.assertLogContains("submitted to bfl, task id task-1", b);
        assertThat(b.getArtifacts())
                .extracting(a -> a.relativePath)
                .contains("flux-kontext/flux-kontext-1-1.png", "flux-kontext/flux-kontext-1-2.png");
        assertThat(bfl.keysSeen).isNotEmpty().allMatch(API_KEY::equals);
    }

    @Test
    void aFailedTaskFailsTheBuildWithTheProvidersReasonAndTheTaskId() throws Exception {
        bfl.endTasksWith(BflServer.Ending.ERROR);

        Run<?, ?> b = run(step(""), Result.FAILURE);

        r.assertLogContains("task-1", b);
        r.assertLogContains("GPU worker crashed", b);
    }

    @Test
    void aModeratedTaskFailsTheBuildByDefaultAndSaysWhichSide() throws Exception {
        bfl.endTasksWith(BflServer.Ending.REQUEST_MODERATED);

        Run<?, ?> b = run(step(""), Result.FAILURE);

        r.assertLogContains("1 of 1 task moderated", b);
        r.assertLogContains("the request (prompt or input image) was moderated", b);
        r.assertLogContains("task-1", b);
    }

    @Test
    void aModeratedTaskMarksTheBuildAndTheStepsStageUnstableWhenAsked() throws Exception {
        bfl.endTasksWith(BflServer.Ending.CONTENT_MODERATED);
        Job<?, ?> job = PipelineOnAgent.pipeline(r, "unstable", """
                stage('images') {
                  node {
                    def images = %s
                    echo "images=${images.findAll { it.path }.size()}"
                    echo "lost=${images.findAll { !it.path }.collect { it.taskId + ' ' + it.status + ' ' + it.billing }}"
                  }
                }
                """.formatted(step(", onModeration: 'UNSTABLE'")));

        Run<?, ?> b = PipelineOnAgent.build(r, job, Result.UNSTABLE);

        r.assertLogContains("the generated image was moderated and withheld", b);
        r.assertLogContains("images=0", b);
        // The returned value names every task, the ones without an image too.
        r.assertLogContains("lost=[task-1 moderated", b);
        // Stage views colour a stage by its steps' flow nodes, not by the run's result.
        FlowNode stepNode = PipelineOnAgent.flowNodes(b).stream()
                .filter(n -> "fluxKontextGenerate".equals(n.getDisplayFunctionName()))
                .findFirst()
                .orElseThrow();
        WarningAction warning = stepNode.getPersistentAction(WarningAction.class);
        assertThat(warning).as("the step's flow node is marked").isNotNull();
        assertThat(warning.getResult()).isEqualTo(Result.UNSTABLE);
        assertThat(warning.getMessage()).contains("moderated");
    }

    @Test
    void aValueThatIsNotAllowedFailsTheStepWithAPlainMessageBeforeAnyCall() throws Exception {
        Run<?, ?> b = run(step(", onModeration: 'sometimes', outputDir: '/etc'"), Result.FAILURE);

        r.assertLogContains("onModeration: \"sometimes\" is not allowed; use FAILURE or UNSTABLE", b);
        // Refused by the step, not by structs while it built the step: no stack trace.
        r.assertLogNotContains("Could not instantiate", b);
        r.assertLogNotContains("InvocationTargetException", b);
        assertThat(bfl.requestCount()).isZero();
    }

    @Test
    void theBuildIsRecordedAsAUserOfTheCredential() throws Exception {
        Job<?, ?> job = PipelineOnAgent.pipeline(r, "tracked", "node { " + step("") + " }");
        PipelineOnAgent.build(r, job, Result.SUCCESS);

        Credentials key = CredentialsMatchers.firstOrNull(
                CredentialsProvider.lookupCredentialsInItem(StringCredentials.class, null, ACL.SYSTEM2, List.of()),
                CredentialsMatchers.withId("flux-key"));
        // CredentialsProvider#getFingerprintOf returns hudson.model.Fingerprint, which is not among the stubbed types.
        Object fingerprint = CredentialsProvider.class
                .getMethod("getFingerprintOf", Credentials.class)
                .invoke(null, key);
        assertThat(fingerprint).as("a fingerprint records the credential's use").isNotNull();
        assertThat(fingerprint.getClass().getMethod("getJobs").invoke(fingerprint))
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.list(String.class))
                .contains("tracked");
    }

    /**
     * PERFORMANCE_OPTIMIZED saves the program only when Jenkins stops cleanly ({@code saveState()} returns without
     * saving), so the step cannot promise that its task ids survive a crash, and says so.
     */
    @Test
    void underADurabilityThatDoesNotSaveOnRequestTheStepSaysWhatSurvives() throws Exception {
        Job<?, ?> job = PipelineOnAgent.pipeline(r, "fast", "node { " + step("") + " }");
        PipelineOnAgent.durability(job, "PERFORMANCE_OPTIMIZED");

        Run<?, ?> b = PipelineOnAgent.build(r, job, Result.SUCCESS);

        r.assertLogContains("This Pipeline runs with durability PERFORMANCE_OPTIMIZED", b);
        r.assertLogContains("after a crash the build cannot resume", b);
    }

    @Test
    void aMissingCredentialFailsNamingTheIdAndTheKindBeforeAnyCall() throws Exception {
        Run<?, ?> b = run(
                "fluxKontextGenerate(prompt: 'x', credentialsId: 'no-such-key', baseUrl: '" + bfl.baseUrl() + "')",
                Result.FAILURE);

        r.assertLogContains("No \"Secret text\" credential with id 'no-such-key'", b);
        assertThat(bfl.requestCount()).isZero();
    }

    @Test
    void aBadParameterFailsNamingFieldValueAndWhatIsAllowedBeforeAnyCall() throws Exception {
        Run<?, ?> b = run(step(", count: 99, aspectRatio: '30:9'"), Result.FAILURE);

        r.assertLogContains("count: \"99\" is not allowed; use 1 to 24", b);
        r.assertLogContains("aspectRatio: \"30:9\" is not allowed", b);
        assertThat(bfl.requestCount()).isZero();
    }

    @Test
    void anOutputFolderOutsideTheWorkspaceIsRefused() throws Exception {
        Run<?, ?> b = run(step(", outputDir: '../elsewhere'"), Result.FAILURE);

        r.assertLogContains("outputDir: \"../elsewhere\" is not allowed", b);
        assertThat(bfl.requestCount()).isZero();
    }

    @Test
    void theKeyIsNeitherInTheLogNorAnywhereUnderTheBuildDirectory() throws Exception {
        Run<?, ?> ok = run(step(""), Result.SUCCESS);
        bfl.endTasksWith(BflServer.Ending.ERROR);
        Run<?, ?> failed = run(step(""), Result.FAILURE);

        for (Run<?, ?> b : List.of(ok, failed)) {
            r.assertLogNotContains(API_KEY, b);
            r.assertLogNotContains("SIGNED", b);
            try (Stream<Path> files = Files.walk(b.getRootDir().toPath())) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                    assertThat(content).as(file.toString()).doesNotContain(API_KEY);
                }
            }
        }
    }

    @Test
    void configRoundTripKeepsEveryParameter() throws Exception {
        FluxKontextGenerateStep step = new FluxKontextGenerateStep("a poster of a lighthouse");
        step.setCredentialsId("flux-key");
        step.setModel("flux-kontext-pro");
        step.setAspectRatio("16:9");
        step.setSeed(42L);
        step.setOutputFormat("jpeg");
        step.setSafetyTolerance(4);
        step.setPromptUpsampling(true);
        step.setCount(3);
        step.setProvider("bfl");
        step.setBaseUrl("https://api.eu.bfl.ai");
        step.setOutputDir("out/campaign");
        step.setFileNamePattern("{prefix}-{seed}.{ext}");
        step.setArchive(false);
        step.setOnModeration("UNSTABLE");
        step.setTimeout(900);

        r.assertEqualDataBoundBeans(step, new StepConfigTester(r).configRoundTrip(step));
    }

    /** The configuration form leaves Seed, Number of images and Safety tolerance blank: the step keeps its defaults. */
    @Test
    void blankNumberFieldsOfTheFormKeepTheDefaults() throws Exception {
        FluxKontextGenerateStep step = new FluxKontextGenerateStep("a poster of a lighthouse");
        step.setCredentialsId("flux-key");

        FluxKontextGenerateStep saved = new StepConfigTester(r).configRoundTrip(step);

        assertThat(saved.getSeed()).as("no seed: a random image").isNull();
        assertThat(saved.getCount()).isEqualTo(1);
        assertThat(saved.getSafetyTolerance()).isEqualTo(2);
    }

    @Test
    void snippetGeneratorWritesOnlyWhatDiffersFromTheDefaults() throws Exception {
        FluxKontextGenerateStep step = new FluxKontextGenerateStep("a red fox");
        step.setCredentialsId("flux-key");
        new SnippetizerTester(r)
                .assertRoundTrip(step, "fluxKontextGenerate credentialsId: 'flux-key', prompt: 'a red fox'");

        // What the form shows for an untouched field (its default entry or default text) is not written out.
        step.setOutputDir("flux-kontext");
        step.setModel("");
        step.setOutputFormat("");
        step.setOnModeration("");
        step.setProvider("");
        new SnippetizerTester(r)
                .assertRoundTrip(step, "fluxKontextGenerate credentialsId: 'flux-key', prompt: 'a red fox'");

        step.setCount(2);
        step.setOnModeration("UNSTABLE");
        new SnippetizerTester(r)
                .assertRoundTrip(
                        step,
                        "fluxKontextGenerate count: 2, credentialsId: 'flux-key', onModeration: 'UNSTABLE', prompt: 'a red fox'");
    }
}
