package io.jenkins.plugins.fluxkontext.config;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.fluxkontext.core.model.InvalidRequestException;
import io.jenkins.plugins.fluxkontext.core.model.Violation;
import io.jenkins.plugins.fluxkontext.core.provider.catalog.Providers;
import io.jenkins.plugins.fluxkontext.core.throttle.TaskThrottle;
import io.jenkins.plugins.fluxkontext.parameters.BaseUrl;
import io.jenkins.plugins.fluxkontext.parameters.TrimmedText;
import java.util.List;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * The global settings of one provider: where its API is, and how many tasks may be in flight per API key. Only
 * administrators set these, which is why a base URL here may point the key at a regional host or a gateway.
 */
public final class ProviderSettings implements Describable<ProviderSettings> {

    /**
     * Whole-number fields that Stapler would turn from blank into 0 (see {@link StepForm#WHOLE_NUMBER_FIELDS}):
     * left out of the submitted form, so a blank limit keeps its default.
     */
    public static final List<String> WHOLE_NUMBER_FIELDS = List.of("tasksInFlight");

    private final String provider;
    private String baseUrl;
    private int tasksInFlight = TaskThrottle.DEFAULT_LIMIT;

    @DataBoundConstructor
    public ProviderSettings(String provider) {
        // Refused here, so a typo in configuration-as-code fails when applied, naming the providers there are.
        try {
            this.provider = Providers.byId(TrimmedText.orNull(provider)).id();
        } catch (InvalidRequestException e) {
            throw new SettingRefusedException("provider", e.violations().get(0).message());
        }
    }

    public String getProvider() {
        return provider;
    }

    public @CheckForNull String getBaseUrl() {
        return baseUrl;
    }

    /** https only (http for localhost), checked as the steps check theirs. */
    @DataBoundSetter
    public void setBaseUrl(String baseUrl) {
        String value = TrimmedText.orNull(baseUrl);
        Violation problem = BaseUrl.check(value);
        if (problem != null) {
            throw new SettingRefusedException("baseUrl", problem.message());
        }
        this.baseUrl = value;
    }

    /** Tasks of this provider in flight at once per API key, over all builds; default 6 (BFL's limit). */
    public int getTasksInFlight() {
        return tasksInFlight;
    }

    @DataBoundSetter
    public void setTasksInFlight(int tasksInFlight) {
        if (tasksInFlight < 1) {
            throw new SettingRefusedException(
                    "tasksInFlight", Messages.ProviderSettings_TasksInFlightNotAllowed(String.valueOf(tasksInFlight)));
        }
        this.tasksInFlight = tasksInFlight;
    }

    @Extension
    @Symbol("fluxKontextProvider")
    public static final class DescriptorImpl extends Descriptor<ProviderSettings> {

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.ProviderSettings_DisplayName();
        }

        @POST
        public ListBoxModel doFillProviderItems() {
            return FormChecks.providerItems();
        }

        @POST
        public FormValidation doCheckBaseUrl(@QueryParameter String value) {
            Administrators.check();
            Violation problem = BaseUrl.check(Util.fixEmptyAndTrim(value));
            return problem == null ? FormValidation.ok() : FormValidation.error(problem.message());
        }

        @POST
        public FormValidation doCheckTasksInFlight(@QueryParameter String value) {
            return FormValidation.validatePositiveInteger(value);
        }
    }
}
