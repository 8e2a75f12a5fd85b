package io.jenkins.plugins.fluxkontext;

import static io.jenkins.plugins.fluxkontext.testing.SecretTextCredentials.API_KEY;
import static io.jenkins.plugins.fluxkontext.testing.SecretTextCredentials.addSecretText;
import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Item;
import hudson.model.Job;
import hudson.security.Permission;
import io.jenkins.plugins.fluxkontext.config.FluxKontextGlobalConfiguration;
import io.jenkins.plugins.fluxkontext.freestyle.FluxKontextGenerateBuilder;
import io.jenkins.plugins.fluxkontext.steps.FluxKontextEditStep;
import io.jenkins.plugins.fluxkontext.steps.FluxKontextGenerateStep;
import io.jenkins.plugins.fluxkontext.testing.BflServer;
import io.jenkins.plugins.fluxkontext.testing.ControllerDefaults;
import io.jenkins.plugins.fluxkontext.testing.FreestyleJobs;
import io.jenkins.plugins.fluxkontext.testing.UserRequests;
import java.util.List;
import org.htmlunit.Page;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The form methods that reveal credentials or reach the network (reliability.md S-01..S-04, S-08, S-15): POST only,
 * the right permission, and the local server sees a request only when they are allowed. The key is never echoed.
 */
@WithJenkins
class FormSecurityTest {

    /** Jenkins.READ; named by id because jenkins.model.Jenkins is not in the API stubs (see FreestyleJobs). */
    private static final Permission OVERALL_READ = Permission.fromId("hudson.model.Hudson.Read");

    private static final String BUILDER = "descriptorByName/" + FluxKontextGenerateBuilder.class.getName() + "/";
    private static final String STEP = "descriptorByName/" + FluxKontextGenerateStep.class.getName() + "/";
    private static final String EDIT_STEP = "descriptorByName/" + FluxKontextEditStep.class.getName() + "/";
    private static final String GLOBAL = "descriptorByName/" + FluxKontextGlobalConfiguration.class.getName() + "/";

    private JenkinsRule r;
    private BflServer bfl;
    private Job<?, ?> job;

    @BeforeEach
    void setUp(JenkinsRule rule) throws Exception {
        r = rule;
        bfl = new BflServer();
        addSecretText("flux-key", API_KEY);
        ControllerDefaults.useLocalBfl(bfl);
        job = FreestyleJobs.withSteps(r, "p", new FluxKontextGenerateBuilder("a fox"));
        FreestyleJobs.secure(
                r,
                new MockAuthorizationStrategy()
                        .grant(Permission.HUDSON_ADMINISTER)
                        .everywhere()
                        .to("admin")
                        .grant(OVERALL_READ, Item.READ)
                        .everywhere()
                        .to("reader", "configurer")
                        .grant(Item.CONFIGURE)
                        .onItems((Item) job)
                        .to("configurer"));
    }

    @AfterEach
    void tearDown() {
        bfl.close();
    }

    private Page post(String user, String path) throws Exception {
        return UserRequests.post(r, user, path);
    }

    private Page get(String user, String path) throws Exception {
        return UserRequests.get(r, user, path);
    }

    private static String body(Page page) {
        return page.getWebResponse().getContentAsString();
    }

    @Test
    void testConnectionRefusesGetEvenForAnAdministrator() throws Exception {
        Page page = get("admin", "job/p/" + BUILDER + "testConnection?credentialsId=flux-key");

        assertThat(page.getWebResponse().getStatusCode()).isEqualTo(404);
        assertThat(bfl.requestCount()).isZero();
    }

    @Test
    void someoneWhoMayOnlyReadTheJobGets403AndNothingIsSent() throws Exception {
        Page page = post("reader", "job/p/" + BUILDER + "testConnection?credentialsId=flux-key");

        assertThat(page.getWebResponse().getStatusCode()).isEqualTo(403);
        assertThat(bfl.requestCount()).isZero();
        assertThat(body(page)).doesNotContain(API_KEY);
    }

    @Test
    void someoneWhoMayConfigureTheJobReachesTheConfiguredServerAndTheKeyIsNotEchoed() throws Exception {
        Page page = post("configurer", "job/p/" + BUILDER + "testConnection?credentialsId=flux-key");

        assertThat(page.getWebResponse().getStatusCode()).isEqualTo(200);
        assertThat(bfl.requestCount()).isEqualTo(1);
        assertThat(bfl.keysSeen).containsExactly(API_KEY);
        assertThat(body(page)).doesNotContain(API_KEY);
        assertThat(bfl.submitCount())
                .as("a connection test never creates a task")
                .isZero();
    }

    @Test
    void aJobUserCannotPointTheKeyAtAnotherAddress() throws Exception {
        try (BflServer attacker = new BflServer()) {
            post(
                    "configurer",
                    "job/p/" + BUILDER + "testConnection?credentialsId=flux-key&baseUrl=" + attacker.baseUrl() + "&url="
                            + attacker.baseUrl());

            assertThat(attacker.requestCount()).isZero();
        }
    }

    @Test
    void theGlobalConnectionTestIsForAdministratorsOnly() throws Exception {
        assertThat(post("configurer", GLOBAL + "testConnection?credentialsId=flux-key")
                        .getWebResponse()
                        .getStatusCode())
                .isEqualTo(403);
        assertThat(bfl.requestCount()).isZero();

        Page page = post("admin", GLOBAL + "testConnection?credentialsId=flux-key&defaultProvider=bfl");
        assertThat(page.getWebResponse().getStatusCode()).isEqualTo(200);
        assertThat(bfl.requestCount()).isEqualTo(1);
        assertThat(body(page)).doesNotContain(API_KEY);
    }

    @Test
    void credentialIdsAreListedOnlyToThoseWhoMayUseThem() throws Exception {
        String forReader = body(post("reader", "job/p/" + BUILDER + "fillCredentialsIdItems"));
        String forConfigurer = body(post("configurer", "job/p/" + BUILDER + "fillCredentialsIdItems"));
        String globalForConfigurer = body(post("configurer", GLOBAL + "fillCredentialsIdItems"));

        assertThat(forReader).doesNotContain("flux-key");
        assertThat(globalForConfigurer).doesNotContain("flux-key");
        assertThat(forConfigurer).contains("flux-key").doesNotContain(API_KEY);
    }

    @Test
    void checkingABaseUrlNeverConnects() throws Exception {
        post("configurer", "job/p/" + BUILDER + "checkBaseUrl?value=" + bfl.baseUrl());
        Page refused = post("configurer", "job/p/" + BUILDER + "checkBaseUrl?value=http://169.254.169.254/");

        assertThat(body(refused)).contains("use an https URL");
        assertThat(bfl.requestCount()).isZero();
    }

    // The Snippet Generator's form methods: the same logic and the same checks as the build steps'.

    @Test
    void theStepsConnectionTestRefusesGetEvenForAnAdministrator() throws Exception {
        for (String step : List.of(STEP, EDIT_STEP)) {
            Page page = get("admin", "job/p/" + step + "testConnection?credentialsId=flux-key");

            assertThat(page.getWebResponse().getStatusCode()).as(step).isEqualTo(404);
        }
        assertThat(bfl.requestCount()).isZero();
    }

    @Test
    void theStepsConnectionTestNeedsJobConfigureOrAdministerOutsideAJob() throws Exception {
        assertThat(post("reader", "job/p/" + STEP + "testConnection?credentialsId=flux-key")
                        .getWebResponse()
                        .getStatusCode())
                .isEqualTo(403);
        assertThat(post("configurer", STEP + "testConnection?credentialsId=flux-key")
                        .getWebResponse()
                        .getStatusCode())
                .as("no job: administrators only")
                .isEqualTo(403);
        assertThat(bfl.requestCount()).isZero();

        Page page = post(
                "configurer",
                "job/p/" + EDIT_STEP + "testConnection?credentialsId=flux-key&baseUrl=" + "https://attacker.example/");
        assertThat(page.getWebResponse().getStatusCode()).isEqualTo(200);
        assertThat(bfl.requestCount())
                .as("the configured server, not the given address")
                .isEqualTo(1);
        assertThat(body(page)).doesNotContain(API_KEY);
        assertThat(bfl.submitCount())
                .as("a connection test never creates a task")
                .isZero();

        assertThat(post("admin", STEP + "testConnection?credentialsId=flux-key")
                        .getWebResponse()
                        .getStatusCode())
                .isEqualTo(200);
        assertThat(bfl.requestCount()).isEqualTo(2);
    }

    @Test
    void theSnippetGeneratorListsCredentialIdsOnlyToThoseWhoMayUseThem() throws Exception {
        String forReader = body(post("reader", "job/p/" + STEP + "fillCredentialsIdItems"));
        String forConfigurer = body(post("configurer", "job/p/" + STEP + "fillCredentialsIdItems"));
        String outsideAJob = body(post("configurer", EDIT_STEP + "fillCredentialsIdItems"));
        String checkForReader = body(post("reader", "job/p/" + STEP + "checkCredentialsId?value=flux-key"));

        assertThat(forReader).doesNotContain("flux-key");
        assertThat(outsideAJob).doesNotContain("flux-key");
        assertThat(forConfigurer).contains("flux-key").doesNotContain(API_KEY);
        assertThat(checkForReader).as("no hint whether the id exists").doesNotContain("flux-key");
    }

    @Test
    void theSnippetGeneratorSaysWhatTheBuildWouldSayAndNeverConnects() throws Exception {
        Page refused = post("reader", "job/p/" + STEP + "checkBaseUrl?value=http://169.254.169.254/");
        Page count = post("reader", "job/p/" + EDIT_STEP + "checkCount?value=99");
        Page models = post("reader", "job/p/" + STEP + "fillModelItems");

        assertThat(body(refused)).contains("use an https URL");
        assertThat(body(count)).contains("is not allowed; use 1 to 24");
        assertThat(body(models)).contains("flux-kontext-pro");
        assertThat(bfl.requestCount()).isZero();
        assertThat(get("admin", "job/p/" + STEP + "checkCount?value=99")
                        .getWebResponse()
                        .getStatusCode())
                .as("POST only")
                .isEqualTo(404);
    }
}
