package io.jenkins.plugins.fluxkontext.spending;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** What each job has spent is kept in its own file and read again after a restart. */
@WithJenkins
class JobSpendingTotalsTest {

    @Test
    void whatJobsSpentSurvivesARestart(JenkinsRule r) throws Throwable {
        JobSpendingTotals.get().store(Map.of("marketing/banners", "2.40"));

        r.restart();

        assertThat(ControllerSpending.get().spentByJob("marketing/banners")).isEqualByComparingTo("2.40");
    }
}
