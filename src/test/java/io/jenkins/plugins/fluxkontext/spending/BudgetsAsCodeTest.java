package io.jenkins.plugins.fluxkontext.spending;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.hudson.plugins.folder.AbstractFolder;
import io.jenkins.plugins.casc.misc.ConfiguredWithCode;
import io.jenkins.plugins.casc.misc.JenkinsConfiguredWithCodeRule;
import io.jenkins.plugins.casc.misc.junit.jupiter.WithJenkinsConfiguredWithCode;
import io.jenkins.plugins.fluxkontext.config.FluxKontextGlobalConfiguration;
import io.jenkins.plugins.fluxkontext.testing.Folders;
import org.junit.jupiter.api.Test;

/**
 * The budgets as configuration as code sets them: the controller's limit under {@code unclassified: fluxKontext:},
 * a folder's through Job DSL ({@code jobs:}), as docs/spending-and-throttle.md shows.
 */
@WithJenkinsConfiguredWithCode
class BudgetsAsCodeTest {

    @Test
    @ConfiguredWithCode("budgets-as-code.yaml")
    void theControllerLimitIsSetAndExportedAgain(JenkinsConfiguredWithCodeRule r) throws Exception {
        assertThat(FluxKontextGlobalConfiguration.get().getMaxCostPerMonth()).isEqualTo("500");
        assertThat(FluxKontextGlobalConfiguration.get().controllerMonthlyLimit().usd())
                .isEqualByComparingTo("500");

        assertThat(r.exportToString(false)).containsPattern("maxCostPerMonth: \"?500\"?");
    }

    @Test
    @ConfiguredWithCode("budgets-as-code.yaml")
    void theFolderBudgetIsSetAndKeepsItsValueThroughTheFoldersForm(JenkinsConfiguredWithCodeRule r) throws Exception {
        AbstractFolder<?> marketing = Folders.named(r, "marketing");
        assertThat(marketing.getProperties().get(FolderBudget.class).getMaxCostPerMonth())
                .isEqualTo("50");

        r.configRoundtrip(marketing);

        assertThat(Folders.named(r, "marketing")
                        .getProperties()
                        .get(FolderBudget.class)
                        .getMaxCostPerMonth())
                .isEqualTo("50");
    }
}
