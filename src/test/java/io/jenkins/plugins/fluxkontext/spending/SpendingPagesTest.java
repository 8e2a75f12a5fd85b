package io.jenkins.plugins.fluxkontext.spending;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.hudson.plugins.folder.AbstractFolder;
import hudson.model.Item;
import hudson.model.Job;
import hudson.model.Result;
import hudson.security.Permission;
import io.jenkins.plugins.fluxkontext.config.FluxKontextGlobalConfiguration;
import io.jenkins.plugins.fluxkontext.freestyle.FluxKontextGenerateBuilder;
import io.jenkins.plugins.fluxkontext.testing.BflServer;
import io.jenkins.plugins.fluxkontext.testing.ControllerDefaults;
import io.jenkins.plugins.fluxkontext.testing.Folders;
import io.jenkins.plugins.fluxkontext.testing.FreestyleJobs;
import io.jenkins.plugins.fluxkontext.testing.UserRequests;
import org.htmlunit.Page;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The spending tables of a folder and of Manage Jenkins: a row only for those who may read its job, the controller's
 * page only for administrators, and who started each build that spent.
 */
@WithJenkins
class SpendingPagesTest {

    private static final Permission OVERALL_READ = Permission.fromId("hudson.model.Hudson.Read");

    private JenkinsRule r;
    private BflServer bfl;

    @BeforeEach
    void setUp(JenkinsRule rule) throws Exception {
        r = rule;
        bfl = new BflServer();
        ControllerDefaults.useKeyAndLocalBfl(bfl);
        FluxKontextGlobalConfiguration.get().setMaxCostPerMonth("100");

        AbstractFolder<?> marketing = Folders.topLevel(r, "marketing");
        FolderBudget budget = new FolderBudget();
        budget.setMaxCostPerMonth("5");
        marketing.addProperty(budget);
        Job<?, ?> posters = Folders.freestyle(marketing, "posters", new FluxKontextGenerateBuilder("a poster"));
        FluxKontextGenerateBuilder three = new FluxKontextGenerateBuilder("a secret");
        three.setCount(3);
        Job<?, ?> secret = Folders.freestyle(marketing, "secret", three);
        FreestyleJobs.buildStartedBy(r, posters, "alice", Result.SUCCESS);
        FreestyleJobs.buildStartedBy(r, secret, "carol", Result.SUCCESS);

        FreestyleJobs.secure(
                r,
                new MockAuthorizationStrategy()
                        .grant(Permission.HUDSON_ADMINISTER)
                        .everywhere()
                        .to("admin")
                        .grant(OVERALL_READ)
                        .everywhere()
                        .to("bob", "dave")
                        .grant(Item.READ)
                        .onItems((Item) marketing, (Item) posters)
                        .to("bob"));
    }

    @AfterEach
    void tearDown() {
        bfl.close();
    }

    private Page get(String user, String path) throws Exception {
        return UserRequests.get(r, user, path);
    }

    @Test
    void theFolderTableShowsOnlyTheJobsTheViewerMayRead() throws Exception {
        Page page = get("bob", "job/marketing/flux-kontext-spending/");

        assertThat(page.getWebResponse().getStatusCode()).isEqualTo(200);
        String html = page.getWebResponse().getContentAsString();
        assertThat(html)
                .contains(">posters</a>", "alice $0.08")
                .doesNotContain("job/secret/", ">secret</a>", "carol $")
                .contains("Other jobs: not visible to you, or deleted", "$0.24")
                .contains("$0.32", "$5.00", "$4.68");
    }

    @Test
    void theFolderTableIsHiddenFromSomeoneWhoMayNotReadTheFolder() throws Exception {
        Page page = get("dave", "job/marketing/flux-kontext-spending/");

        assertThat(page.getWebResponse().getStatusCode()).isEqualTo(404);
        assertThat(page.getWebResponse().getContentAsString()).doesNotContain(">posters</a>", "$0.32");
    }

    @Test
    void theFolderPageShowsWhatWasSpentAgainstTheBudget() throws Exception {
        String html = get("bob", "job/marketing/").getWebResponse().getContentAsString();

        assertThat(html).contains("flux-kontext-folder-summary", "$0.32", "$5.00");
    }

    @Test
    void theControllerTableIsForAdministratorsAndListsEveryJobWithWhoStartedIt() throws Exception {
        assertThat(get("bob", "manage/flux-kontext-spending/").getWebResponse().getStatusCode())
                .isEqualTo(403);

        Page page = get("admin", "manage/flux-kontext-spending/");

        assertThat(page.getWebResponse().getStatusCode()).isEqualTo(200);
        assertThat(page.getWebResponse().getContentAsString())
                .contains(">marketing/posters</a>", "alice $0.08")
                .contains(">marketing/secret</a>", "carol $0.24")
                .contains("$0.32", "$100.00", "$99.68")
                .doesNotContain("Other jobs");
    }
}
