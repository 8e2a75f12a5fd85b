package io.jenkins.plugins.fluxkontext.freestyle;

import static io.jenkins.plugins.fluxkontext.testing.SecretTextCredentials.API_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Job;
import hudson.model.Result;
import hudson.model.Run;
import io.jenkins.plugins.fluxkontext.action.FluxKontextAction;
import io.jenkins.plugins.fluxkontext.action.GalleryEntry;
import io.jenkins.plugins.fluxkontext.config.FluxKontextGlobalConfiguration;
import io.jenkins.plugins.fluxkontext.spending.ControllerSpending;
import io.jenkins.plugins.fluxkontext.testing.BflServer;
import io.jenkins.plugins.fluxkontext.testing.ControllerDefaults;
import io.jenkins.plugins.fluxkontext.testing.FreestyleJobs;
import java.util.List;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** The freestyle build steps against a local server speaking BFL: results, spending, the build page. */
@WithJenkins
class FluxKontextBuilderTest {

    private JenkinsRule r;
    private BflServer bfl;

    @BeforeEach
    void setUp(JenkinsRule rule) throws Exception {
        r = rule;
        bfl = new BflServer();
        // The global defaults: every step below names neither its credential nor its base URL.
        ControllerDefaults.useKeyAndLocalBfl(bfl);
    }

    @AfterEach
    void tearDown() {
        bfl.close();
    }

    private Run<?, ?> build(FluxKontextBuilder step, Result expected) throws Exception {
        Job<?, ?> job = FreestyleJobs.withSteps(r, "f" + System.nanoTime(), step);
        return FreestyleJobs.build(r, job, expected);
    }

    @Test
    void expandsBuildVariablesArchivesTheImagesAndShowsThemOnTheBuildPage() throws Exception {
        FluxKontextGenerateBuilder step =
                new FluxKontextGenerateBuilder("poster for build $BUILD_NUMBER of ${JOB_NAME}");
        step.setCount(2);
        step.setOutputDir("out/$BUILD_NUMBER");

        Run<?, ?> b = build(step, Result.SUCCESS);

        assertThat(bfl.submitBodies).hasSize(2).allMatch(body -> body.contains("poster for build 1 of f"));
        assertThat(b.getArtifacts())
                .extracting(a -> a.relativePath)
                .contains("out/1/flux-kontext-1-1.png", "out/1/flux-kontext-1-2.png");
        r.assertLogContains("estimated cost 2 images × $0.08 = $0.16", b);
        r.assertLogContains("Cost: $0.16 (estimated from the price table); this build has spent $0.16", b);
        FluxKontextAction action = b.getAction(FluxKontextAction.class);
        assertThat(action.getEntries()).hasSize(1);
        assertThat(action.getEntries().get(0).getTiles())
                .extracting(t -> t.getArtifactUrl())
                .containsExactly("out/1/flux-kontext-1-1.png", "out/1/flux-kontext-1-2.png");
        assertThat(action.getSpent()).isEqualTo("$0.16");
        r.assertLogNotContains(API_KEY, b);
    }

    /** Seed left blank in the job's form stays "no seed" (a random image), not seed 0; the other numbers keep theirs. */
    @Test
    void blankNumberFieldsOfTheJobFormKeepTheDefaults() throws Exception {
        FluxKontextGenerateBuilder step = new FluxKontextGenerateBuilder("a poster of a lighthouse");

        FluxKontextGenerateBuilder saved = r.configRoundtrip(step);

        assertThat(saved.getSeed()).isNull();
        assertThat(saved.getCount()).isEqualTo(1);
        assertThat(saved.getSafetyTolerance()).isEqualTo(2);
    }

    @Test
    void anAbortCancelsPollingAndLogsTheIdsThatMayStillBeBilledButAFreestyleBuildDoesNotResume() throws Exception {
        bfl.hold();
        Job<?, ?> job = FreestyleJobs.withSteps(r, "abort", new FluxKontextGenerateBuilder("a fox"));
        Run<?, ?> b = FreestyleJobs.start(job);
        r.waitForMessage("submitted to bfl, task id task-1", b);
        long until = System.nanoTime() + 30_000_000_000L;
        while (bfl.pollsOf("task-1") == 0 && System.nanoTime() < until) {
            Thread.sleep(50);
        }

        FreestyleJobs.abort(b);
        r.waitForCompletion(b);

        assertThat(b.getResult()).isEqualTo(Result.ABORTED);
        int polls = bfl.pollCount();
        Thread.sleep(3000);
        assertThat(bfl.pollCount()).isEqualTo(polls);
        assertThat(bfl.submitCount()).isEqualTo(1);
        r.assertLogContains("may still run and be billed: task-1", b);
        r.assertLogContains("Task ids of this step at bfl: task-1", b);
        assertThat(b.getArtifacts()).isEmpty();
        assertThat(b.getAction(FluxKontextAction.class).getEntries().get(0).getTiles())
                .extracting(GalleryEntry.GalleryTile::getTaskId)
                .containsExactly("task-1");
    }

    @Test
    void aModeratedTaskMarksTheBuildUnstableWhenAsked() throws Exception {
        bfl.endTasksWith(BflServer.Ending.CONTENT_MODERATED);
        FluxKontextGenerateBuilder step = new FluxKontextGenerateBuilder("a fox");
        step.setOnModeration("UNSTABLE");

        Run<?, ?> b = build(step, Result.UNSTABLE);

        r.assertLogContains("1 of 1 task moderated (onModeration: UNSTABLE)", b);
        assertThat(b.getAction(FluxKontextAction.class)
                        .getEntries()
                        .get(0)
                        .getTiles()
                        .get(0)
                        .getStatus())
                .isEqualTo("moderated");
    }

    @Test
    void aRequestOverItsCostLimitIsRefusedWithTheNumbersBeforeAnythingIsSent() throws Exception {
        FluxKontextGenerateBuilder step = new FluxKontextGenerateBuilder("a fox");
        step.setCount(3);
        step.setMaxCost("0.20");

        Run<?, ?> b = build(step, Result.FAILURE);

        r.assertLogContains("This request would cost $0.24 (3 images × $0.08 = $0.24, flux-kontext-max on bfl)", b);
        r.assertLogContains("more than this step's limit of $0.20 (maxCost). Nothing was submitted.", b);
        assertThat(bfl.requestCount()).isZero();
    }

    @Test
    void thePerBuildLimitCountsWhatEarlierStepsOfTheBuildSpent() throws Exception {
        FluxKontextGlobalConfiguration.get().setMaxCostPerBuild("0.10");
        Job<?, ?> job = FreestyleJobs.withSteps(
                r, "two-steps", new FluxKontextGenerateBuilder("first"), new FluxKontextGenerateBuilder("second"));

        Run<?, ?> b = FreestyleJobs.build(r, job, Result.FAILURE);

        r.assertLogContains("the build has spent $0.08 of its $0.10 limit (maxCostPerBuild), so $0.02 is left", b);
        assertThat(bfl.submitCount()).isEqualTo(1);
    }

    @Test
    void aPromptWithMarkupIsShownAsTextOnTheBuildPageAndTheGallery() throws Exception {
        String prompt = "<script>alert('prompt')</script><img src=x onerror=alert(1)>";

        Run<?, ?> b = build(new FluxKontextGenerateBuilder(prompt), Result.SUCCESS);

        JenkinsRule.WebClient wc = r.createWebClient();
        for (HtmlPage page : List.of(wc.getPage(b), wc.getPage(b, "flux-kontext"))) {
            String html = page.getWebResponse().getContentAsString();
            assertThat(html).doesNotContain("<script>alert('prompt')").doesNotContain("<img src=x");
            assertThat(page.asNormalizedText()).contains(prompt);
            assertThat(html)
                    .contains("artifact/flux-kontext/flux-kontext-1-1.png")
                    .doesNotContain("sig=SIGNED");
            assertThat(html).doesNotContain(API_KEY);
        }
    }

    @Test
    void configRoundTripKeepsEveryField() throws Exception {
        FluxKontextEditBuilder step = new FluxKontextEditBuilder("make the sky $COLOR");
        step.setImage("in/product.png");
        step.setImages("in/logo.png\nin/badge.png");
        step.setCredentialsId("flux-key");
        step.setModel("flux-kontext-pro");
        step.setAspectRatio("16:9");
        step.setSeed(42L);
        step.setOutputFormat("jpeg");
        step.setSafetyTolerance(4);
        step.setPromptUpsampling(true);
        step.setCount(2);
        step.setProvider("bfl");
        step.setBaseUrl("https://api.eu.bfl.ai");
        step.setOutputDir("out/$BUILD_NUMBER");
        step.setFileNamePattern("{prefix}-{index}.{ext}");
        step.setArchive(false);
        step.setOnModeration("UNSTABLE");
        step.setTimeout(900);
        step.setMaxCost("1.50");

        r.assertEqualDataBoundBeans(step, r.configRoundtrip(step));
        assertThat(bfl.requestCount())
                .as("saving a form never calls the provider")
                .isZero();
    }

    private static String spentByJob(Run<?, ?> run) {
        return ControllerSpending.get()
                .spentByJob(run.getParent().getFullName())
                .stripTrailingZeros()
                .toPlainString();
    }

    @Test
    void h05_twoStepsOfOneBuildInOneFolderEachWriteUnderTheirOwnNames() throws Exception {
        Job<?, ?> job = FreestyleJobs.withSteps(
                r,
                "two-in-one-folder",
                new FluxKontextGenerateBuilder("first"),
                new FluxKontextGenerateBuilder("second"));

        Run<?, ?> b = FreestyleJobs.build(r, job, Result.SUCCESS);

        assertThat(bfl.submitCount()).isEqualTo(2);
        assertThat(b.getArtifacts())
                .extracting(a -> a.relativePath)
                .contains("flux-kontext/flux-kontext-1-1.png", "flux-kontext/flux-kontext-1-step2-1.png");
    }

    @Test
    void h05_aStepRefusedOnTheAgentBeforeItsSubmitChargesNothing() throws Exception {
        FluxKontextGenerateBuilder step = new FluxKontextGenerateBuilder("a fox");
        // A name without the build number: the next build finds it taken, on the agent, before its submit.
        step.setFileNamePattern("taken-{index}.{ext}");
        Job<?, ?> job = FreestyleJobs.withSteps(r, "name-taken", step);
        FreestyleJobs.build(r, job, Result.SUCCESS);

        Run<?, ?> second = FreestyleJobs.build(r, job, Result.FAILURE);

        r.assertLogContains("taken-1.png", second);
        assertThat(bfl.submitCount()).as("only the first build sent anything").isEqualTo(1);
        assertThat(spentByJob(second)).as("the first build's image only").isEqualTo("0.08");
    }

    @Test
    void h11_anInputImageThatIsNotAUrlFailsNamingItAndChargesNothing() throws Exception {
        FluxKontextEditBuilder step = new FluxKontextEditBuilder("add snow");
        step.setImage("http://bad host/x.png");

        Run<?, ?> b = build(step, Result.FAILURE);

        r.assertLogContains("http://bad host/x.png", b);
        r.assertLogNotContains("IllegalArgumentException", b);
        assertThat(bfl.requestCount()).isZero();
        assertThat(spentByJob(b)).isEqualTo("0");
    }
}
