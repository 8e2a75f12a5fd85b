package io.jenkins.plugins.fluxkontext.spending;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.hudson.plugins.folder.AbstractFolder;
import hudson.model.Job;
import hudson.model.Result;
import hudson.model.Run;
import io.jenkins.plugins.fluxkontext.core.budget.UtcMonth;
import io.jenkins.plugins.fluxkontext.freestyle.FluxKontextGenerateBuilder;
import io.jenkins.plugins.fluxkontext.testing.BflServer;
import io.jenkins.plugins.fluxkontext.testing.ControllerDefaults;
import io.jenkins.plugins.fluxkontext.testing.Folders;
import io.jenkins.plugins.fluxkontext.testing.FreestyleJobs;
import io.jenkins.plugins.fluxkontext.testing.PipelineOnAgent;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** Folder budgets in a real Jenkins: nested folders, builds at the same time, a restart, the folder's form. */
@WithJenkins
class FolderBudgetTest {

    private JenkinsRule r;
    private BflServer bfl;

    @BeforeEach
    void setUp(JenkinsRule rule) throws Exception {
        r = rule;
        bfl = new BflServer();
        ControllerDefaults.useKeyAndLocalBfl(bfl);
    }

    @AfterEach
    void tearDown() {
        bfl.close();
    }

    private static FolderBudget budget(String maxCostPerMonth) {
        FolderBudget budget = new FolderBudget();
        budget.setMaxCostPerMonth(maxCostPerMonth);
        return budget;
    }

    private static FluxKontextGenerateBuilder images(int count) {
        FluxKontextGenerateBuilder step = new FluxKontextGenerateBuilder("a banner");
        step.setCount(count);
        return step;
    }

    private static String thisMonth() {
        return UtcMonth.of(Instant.now()).display();
    }

    @Test
    void aNestedFolderLimitRefusesTheBuildWithTheNumbersBeforeAnythingIsSent() throws Exception {
        AbstractFolder<?> marketing = Folders.topLevel(r, "marketing");
        marketing.addProperty(budget("10"));
        AbstractFolder<?> banners = Folders.inside(marketing, "banners");
        banners.addProperty(budget("0.20"));
        Job<?, ?> poster = Folders.freestyle(banners, "poster", images(3));

        Run<?, ?> b = FreestyleJobs.build(r, poster, Result.FAILURE);

        r.assertLogContains(
                "This request would cost $0.24 (3 images × $0.08 = $0.24, flux-kontext-max on bfl);"
                        + " folder marketing/banners has spent $0.00 of its $0.20 limit for " + thisMonth()
                        + " in UTC (maxCostPerMonth), so $0.20 is left. Nothing was submitted."
                        + " Lower the count or raise maxCostPerMonth of folder marketing/banners.",
                b);
        r.assertLogNotContains("folder marketing has spent", b);
        assertThat(bfl.requestCount()).as("nothing reached the provider").isZero();
    }

    @Test
    void twoBuildsAtOnceUnderOneFolderNeverOverspendIt() throws Exception {
        AbstractFolder<?> marketing = Folders.topLevel(r, "marketing");
        marketing.addProperty(budget("0.40"));
        Job<?, ?> posters = Folders.freestyle(marketing, "posters", images(3));
        Job<?, ?> banners = Folders.freestyle(marketing, "banners", images(3));
        bfl.hold();

        Run<?, ?> first = FreestyleJobs.start(posters);
        r.waitForMessage("submitted to bfl, task id task-3", first);
        Run<?, ?> second = FreestyleJobs.build(r, banners, Result.FAILURE);
        bfl.release();
        r.waitForCompletion(first);

        assertThat(first.getResult()).isEqualTo(Result.SUCCESS);
        r.assertLogContains(
                "folder marketing has spent $0.24 of its $0.40 limit for " + thisMonth()
                        + " in UTC (maxCostPerMonth), so $0.16 is left",
                second);
        assertThat(bfl.submitCount())
                .as("only the first build's three tasks were sent")
                .isEqualTo(3);
        assertThat(ControllerSpending.get().thisMonth("marketing").spent()).isEqualByComparingTo("0.24");
    }

    @Test
    void whatAFolderSpentThisMonthSurvivesARestart() throws Throwable {
        AbstractFolder<?> marketing = Folders.topLevel(r, "marketing");
        marketing.addProperty(budget("0.20"));
        Job<?, ?> poster = Folders.freestyle(marketing, "poster", images(2));
        FreestyleJobs.build(r, poster, Result.SUCCESS);

        r.restart();

        assertThat(ControllerSpending.get().thisMonth("marketing").spent()).isEqualByComparingTo("0.16");
        Run<?, ?> again = FreestyleJobs.build(r, PipelineOnAgent.job(r, "marketing/poster"), Result.FAILURE);
        r.assertLogContains("folder marketing has spent $0.16 of its $0.20 limit", again);
        assertThat(bfl.submitCount()).isEqualTo(2);
    }

    @Test
    void theBudgetKeepsItsValueThroughTheFoldersConfigurationForm() throws Exception {
        AbstractFolder<?> marketing = Folders.topLevel(r, "marketing");
        marketing.addProperty(budget("12.50"));

        r.configRoundtrip(marketing);

        assertThat(marketing.getProperties().get(FolderBudget.class).getMaxCostPerMonth())
                .isEqualTo("12.50");
    }

    @Test
    void aLimitThatIsNotAnAmountRefusesTheBuildNamingTheFolderAndTheValue() throws Exception {
        AbstractFolder<?> marketing = Folders.topLevel(r, "marketing");
        marketing.addProperty(budget("ten dollars"));
        Job<?, ?> poster = Folders.freestyle(marketing, "poster", images(1));

        Run<?, ?> b = FreestyleJobs.build(r, poster, Result.FAILURE);

        r.assertLogContains("maxCostPerMonth of folder marketing: \"ten dollars\" is not allowed", b);
        assertThat(bfl.requestCount()).isZero();
    }
}
