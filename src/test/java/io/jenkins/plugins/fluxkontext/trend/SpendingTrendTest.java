package io.jenkins.plugins.fluxkontext.trend;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hudson.model.Item;
import hudson.model.Job;
import hudson.model.Result;
import hudson.security.Permission;
import io.jenkins.plugins.fluxkontext.freestyle.FluxKontextGenerateBuilder;
import io.jenkins.plugins.fluxkontext.testing.BflServer;
import io.jenkins.plugins.fluxkontext.testing.ControllerDefaults;
import io.jenkins.plugins.fluxkontext.testing.FreestyleJobs;
import io.jenkins.plugins.fluxkontext.testing.UserRequests;
import java.util.ArrayList;
import java.util.List;
import org.htmlunit.Page;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** The job page's trend chart: its JSON for a job with three builds, and who may read it. */
@WithJenkins
class SpendingTrendTest {

    private static final Permission OVERALL_READ = Permission.fromId("hudson.model.Hudson.Read");
    private static final String JSON = "job/poster/flux-kontext-trend/api/json";

    private JenkinsRule r;
    private BflServer bfl;

    @BeforeEach
    void setUp(JenkinsRule rule) throws Exception {
        r = rule;
        bfl = new BflServer();
        ControllerDefaults.useKeyAndLocalBfl(bfl);

        FluxKontextGenerateBuilder two = new FluxKontextGenerateBuilder("a poster");
        two.setCount(2);
        Job<?, ?> poster = FreestyleJobs.withSteps(r, "poster", two);
        FreestyleJobs.build(r, poster, Result.SUCCESS);
        FreestyleJobs.build(r, poster, Result.SUCCESS);
        bfl.endTasksWith(BflServer.Ending.CONTENT_MODERATED);
        FreestyleJobs.build(r, poster, Result.FAILURE);

        FreestyleJobs.secure(
                r,
                new MockAuthorizationStrategy()
                        .grant(OVERALL_READ)
                        .everywhere()
                        .to("reader", "stranger")
                        .grant(Item.READ)
                        .onItems((Item) poster)
                        .to("reader"));
    }

    @AfterEach
    void tearDown() {
        bfl.close();
    }

    private Page get(String user, String path) throws Exception {
        return UserRequests.get(r, user, path);
    }

    @Test
    void theChartsJsonHasEachBuildsCostImagesAndModeratedTasksOldestFirst() throws Exception {
        Page page = get("reader", JSON);

        assertThat(page.getWebResponse().getStatusCode()).isEqualTo(200);
        JsonNode builds = new ObjectMapper()
                .readTree(page.getWebResponse().getContentAsString())
                .get("builds");
        List<String> points = new ArrayList<>();
        for (JsonNode b : builds) {
            points.add("#" + b.get("number").asInt() + " " + b.get("costText").asText() + " cost="
                    + b.get("cost").asDouble() + " images=" + b.get("images").asInt() + " moderated="
                    + b.get("moderated").asInt() + " failed=" + b.get("failed").asInt());
        }
        // BFL does not bill a moderated task, so the third build cost nothing.
        assertThat(points)
                .containsExactly(
                        "#1 $0.16 cost=0.16 images=2 moderated=0 failed=0",
                        "#2 $0.16 cost=0.16 images=2 moderated=0 failed=0",
                        "#3 $0.00 cost=0.0 images=0 moderated=2 failed=0");
    }

    @Test
    void someoneWhoMayNotReadTheJobGetsNoJson() throws Exception {
        Page page = get("stranger", JSON);

        assertThat(page.getWebResponse().getStatusCode()).isEqualTo(404);
        assertThat(page.getWebResponse().getContentAsString()).doesNotContain("costText");
    }

    @Test
    void theJobPageHasTheChartLoadedFromTheJsonWithTheEChartsLibrary() throws Exception {
        String html = get("reader", "job/poster/").getWebResponse().getContentAsString();

        assertThat(html)
                .contains("class=\"flux-kontext-trend\"")
                .contains("/job/poster/flux-kontext-trend/api/json")
                .contains("/plugin/echarts-api/js/echarts.min.js");
    }
}
