package io.jenkins.plugins.fluxkontext.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.htmlunit.html.DomElement;
import org.htmlunit.html.DomNode;
import org.htmlunit.html.HtmlForm;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * Manage Jenkins → System → FLUX.1 Kontext: the page opens with the plugin installed, what an administrator submits
 * is kept across a restart, the last provider can be removed, and a value that is not allowed is a message. Restarts
 * with JenkinsRule#restart; JenkinsSessionExtension's Step extends JenkinsSessionFixture.Step, whose outer type the
 * API stubs cannot declare.
 */
@WithJenkins
class FluxKontextGlobalConfigurationTest {

    @Test
    void submittedValuesSurviveARestart(JenkinsRule r) throws Throwable {
        FluxKontextGlobalConfiguration global = FluxKontextGlobalConfiguration.get();
        assertThat(global.getPriceTable())
                .as("pre-filled with the published prices")
                .contains("bfl flux-kontext-max 0.08");
        ProviderSettings eu = new ProviderSettings("bfl");
        eu.setBaseUrl("https://api.eu.bfl.ai");
        eu.setTasksInFlight(3);
        global.setProviders(List.of(eu));

        HtmlPage page = r.createWebClient().goTo("configure");
        HtmlForm form = page.getFormByName("config");
        form.getInputByName("_.maxCostPerBuild").setValue("5.00");
        form.getInputByName("_.maxCostPerJob").setValue("$100");
        form.getInputByName("_.timeout").setValue("900");
        form.getInputByName("_.pollTimeout").setValue("30");
        form.getTextAreaByName("_.priceTable").setText("bfl flux-kontext-max 0.07\nbfl flux-kontext-pro 0.04\n");
        form.getTextAreaByName("_.imageHostsBehindProxy").setText("cdn.example.com\n*.images.example.org\n");
        r.submit(form);

        r.restart();

        FluxKontextGlobalConfiguration reloaded = FluxKontextGlobalConfiguration.get();
        assertThat(reloaded.getMaxCostPerBuild()).isEqualTo("5.00");
        assertThat(reloaded.getMaxCostPerJob()).isEqualTo("$100");
        assertThat(reloaded.getTimeout()).isEqualTo(900);
        assertThat(reloaded.getPollTimeout()).isEqualTo(30);
        assertThat(reloaded.getPriceTable()).contains("bfl flux-kontext-max 0.07");
        assertThat(reloaded.getProviders()).singleElement().satisfies(p -> {
            assertThat(p.getBaseUrl()).isEqualTo("https://api.eu.bfl.ai");
            assertThat(p.getTasksInFlight()).isEqualTo(3);
        });
        assertThat(reloaded.tasksInFlightFor("bfl")).isEqualTo(3);
        assertThat(reloaded.prices().entries()).extracting(e -> e.line()).contains("bfl flux-kontext-max 0.07");
        assertThat(reloaded.defaults().imageHostsBehindProxy())
                .containsExactly("cdn.example.com", "*.images.example.org");
    }

    @Test
    void theLastProviderCanBeRemoved(JenkinsRule r) throws Exception {
        ProviderSettings eu = new ProviderSettings("bfl");
        eu.setBaseUrl("https://api.eu.bfl.ai");
        FluxKontextGlobalConfiguration.get().setProviders(List.of(eu));

        HtmlPage page = r.createWebClient().goTo("configure");
        HtmlForm form = page.getFormByName("config");
        // What the entry's Delete button does: its block leaves the form, which then sends no providers at all.
        DomNode entry = form.getSelectByName("_.provider");
        while (!(entry instanceof DomElement e && e.getAttribute("class").contains("repeated-chunk"))) {
            entry = entry.getParentNode();
        }
        entry.remove();
        r.submit(form);

        assertThat(FluxKontextGlobalConfiguration.get().getProviders()).isEmpty();
        assertThat(FluxKontextGlobalConfiguration.get().tasksInFlightFor("bfl")).isEqualTo(6);
    }

    @Test
    void aValueThatIsNotAllowedIsShownAsAMessageAndNothingIsSaved(JenkinsRule r) throws Exception {
        HtmlPage page =
                r.createWebClient().withThrowExceptionOnFailingStatusCode(false).goTo("configure");
        HtmlForm form = page.getFormByName("config");
        form.getInputByName("_.maxCostPerBuild").setValue("5.00");
        form.getInputByName("_.pollTimeout").setValue("0");

        HtmlPage answer = r.submit(form);

        assertThat(answer.getWebResponse().getStatusCode()).as("no error page").isNotEqualTo(500);
        assertThat(answer.asNormalizedText()).contains("pollTimeout: \"0\" is not allowed");
        assertThat(answer.asXml())
                .as("no stack trace, not even folded under Detail...")
                .doesNotContain("SettingRefusedException")
                .doesNotContain("at io.jenkins.plugins.fluxkontext");
        assertThat(FluxKontextGlobalConfiguration.get().getPollTimeout()).isNull();
        assertThat(FluxKontextGlobalConfiguration.get().getMaxCostPerBuild())
                .as("nothing of the refused submission is kept")
                .isNull();
    }

    @Test
    void aPriceTableWithMistakesIsRefusedLineByLine(JenkinsRule r) {
        assertThat(ParameterCheck.priceTable("bfl flux-kontext-max 0.08\nbfl flux-kontext-ultra 0.10"))
                .contains("line 2, model: \"flux-kontext-ultra\" is not allowed");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> FluxKontextGlobalConfiguration.get().setPriceTable("bfl flux-kontext-max 0,08"))
                .hasMessageContaining("line 1, price: \"0,08\" is not allowed");
    }
}
