package io.jenkins.plugins.fluxkontext.config;

import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.ExtensionList;
import hudson.Util;
import hudson.model.Item;
import hudson.security.ACL;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.fluxkontext.core.budget.PriceTable;
import io.jenkins.plugins.fluxkontext.core.budget.SpendingLimits;
import io.jenkins.plugins.fluxkontext.core.provider.catalog.Providers;
import io.jenkins.plugins.fluxkontext.core.throttle.TaskThrottle;
import io.jenkins.plugins.fluxkontext.parameters.ConfiguredDefaults;
import io.jenkins.plugins.fluxkontext.parameters.ImageHostsBehindProxy;
import io.jenkins.plugins.fluxkontext.parameters.StepSettings;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jenkins.model.GlobalConfiguration;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * Manage Jenkins → System → FLUX.1 Kontext: defaults for every step and build step that leaves a field empty, the
 * providers' addresses and in-flight limits, the price table, the spending limits per build and per job, and the image
 * hosts downloads may reach through a proxy unchecked.
 * Configuration-as-code sets the same properties under {@code unclassified: fluxKontext:}.
 */
@Extension
@Symbol("fluxKontext")
public class FluxKontextGlobalConfiguration extends GlobalConfiguration {

    private String defaultProvider;
    private String credentialsId;
    private List<ProviderSettings> providers = new ArrayList<>();
    private Integer pollTimeout;
    private Integer timeout;
    private String priceTable;
    private String maxCostPerBuild;
    private String maxCostPerJob;
    private String imageHostsBehindProxy;

    public FluxKontextGlobalConfiguration() {
        load();
    }

    public static FluxKontextGlobalConfiguration get() {
        return ExtensionList.lookupSingleton(FluxKontextGlobalConfiguration.class);
    }

    @NonNull
    @Override
    public String getDisplayName() {
        return Messages.FluxKontextGlobalConfiguration_DisplayName();
    }

    /** The provider a step uses when it names none; {@code bfl} when empty. */
    public @CheckForNull String getDefaultProvider() {
        return defaultProvider;
    }

    @DataBoundSetter
    public void setDefaultProvider(String defaultProvider) {
        String value = Util.fixEmptyAndTrim(defaultProvider);
        // Refused here so a typo in configuration-as-code fails at load, not in every build.
        this.defaultProvider = value == null ? null : Providers.byId(value).id();
        save();
    }

    /** The Secret text credential a step uses when it names none. */
    public @CheckForNull String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
        save();
    }

    public List<ProviderSettings> getProviders() {
        return Collections.unmodifiableList(providers);
    }

    @DataBoundSetter
    public void setProviders(List<ProviderSettings> providers) {
        this.providers = providers == null ? new ArrayList<>() : new ArrayList<>(providers);
        save();
        // A raised limit lets waiting builds go at once.
        ProviderThrottle.get().throttle().limitsChanged();
    }

    /** Seconds one call to the provider (submit, status poll, download) may stall; empty: 60. */
    public @CheckForNull Integer getPollTimeout() {
        return pollTimeout;
    }

    @DataBoundSetter
    public void setPollTimeout(Integer pollTimeout) {
        String problem = pollTimeout == null
                ? null
                : ParameterCheck.problem("pollTimeout", s -> s.pollTimeoutSeconds(pollTimeout));
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        this.pollTimeout = pollTimeout;
        save();
    }

    /** Seconds a whole request may take when its step sets no timeout; empty: 600. */
    public @CheckForNull Integer getTimeout() {
        return timeout;
    }

    @DataBoundSetter
    public void setTimeout(Integer timeout) {
        String problem = timeout == null ? null : ParameterCheck.problem("timeout", s -> s.timeoutSeconds(timeout));
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        this.timeout = timeout;
        save();
    }

    /** The table as text; the published prices until an administrator saves another. */
    public String getPriceTable() {
        return priceTable == null ? PriceTable.PUBLISHED_TEXT : priceTable;
    }

    @DataBoundSetter
    public void setPriceTable(String priceTable) {
        String text = Util.fixEmptyAndTrim(priceTable) == null ? null : priceTable.replace("\r\n", "\n");
        String problem = ParameterCheck.priceTable(text);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        // The published table is stored as "not set", so a later release's prices reach it.
        this.priceTable = text == null || text.strip().equals(PriceTable.PUBLISHED_TEXT.strip()) ? null : text;
        save();
    }

    public @CheckForNull String getMaxCostPerBuild() {
        return maxCostPerBuild;
    }

    @DataBoundSetter
    public void setMaxCostPerBuild(String maxCostPerBuild) {
        this.maxCostPerBuild = amount(SpendingLimits.MAX_COST_PER_BUILD, maxCostPerBuild);
        save();
    }

    public @CheckForNull String getMaxCostPerJob() {
        return maxCostPerJob;
    }

    @DataBoundSetter
    public void setMaxCostPerJob(String maxCostPerJob) {
        this.maxCostPerJob = amount(SpendingLimits.MAX_COST_PER_JOB, maxCostPerJob);
        save();
    }

    /** One host name or {@code *.domain} per line; see {@link ImageHostsBehindProxy}. */
    public @CheckForNull String getImageHostsBehindProxy() {
        return imageHostsBehindProxy;
    }

    @DataBoundSetter
    public void setImageHostsBehindProxy(String imageHostsBehindProxy) {
        String text = Util.fixEmptyAndTrim(imageHostsBehindProxy);
        String problem = ParameterCheck.imageHosts(text);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        this.imageHostsBehindProxy = text == null ? null : text.replace("\r\n", "\n");
        save();
    }

    // ------------------------------------------------------------------ what builds read

    public ConfiguredDefaults defaults() {
        Map<String, String> baseUrls = new LinkedHashMap<>();
        for (ProviderSettings p : providers) {
            if (p.getBaseUrl() != null) {
                baseUrls.put(p.getProvider(), p.getBaseUrl());
            }
        }
        return new ConfiguredDefaults(
                defaultProvider,
                baseUrls,
                credentialsId,
                timeout,
                pollTimeout,
                ImageHostsBehindProxy.parse(imageHostsBehindProxy));
    }

    public PriceTable prices() {
        return PriceTable.fromConfiguration(priceTable);
    }

    /** The per-build and per-job limits, with {@code maxCost} of the step. */
    public SpendingLimits limits(BigDecimal maxCost) {
        return SpendingLimits.parse(null, maxCostPerBuild, maxCostPerJob).withMaxCost(maxCost);
    }

    int tasksInFlightFor(String provider) {
        String id = provider == null ? Providers.DEFAULT_ID : provider.strip().toLowerCase(Locale.ROOT);
        for (ProviderSettings p : providers) {
            if (p.getProvider().equals(id)) {
                return p.getTasksInFlight();
            }
        }
        return TaskThrottle.DEFAULT_LIMIT;
    }

    private static String amount(String field, String value) {
        String text = Util.fixEmptyAndTrim(value);
        String problem = ParameterCheck.amount(field, text);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return text;
    }

    // ------------------------------------------------------------------ form

    static ListBoxModel providerItems() {
        return FormChecks.items(StepForm.providers());
    }

    @POST
    public ListBoxModel doFillDefaultProviderItems() {
        return providerItems();
    }

    /** The credentials consumer pattern for a global field: administrators only, listed as the system. */
    @POST
    public ListBoxModel doFillCredentialsIdItems(@QueryParameter String credentialsId) {
        if (!Administrators.isCurrentUser()) {
            return new StandardListBoxModel().includeCurrentValue(credentialsId);
        }
        return new StandardListBoxModel()
                .includeEmptyValue()
                .includeMatchingAs(
                        ACL.SYSTEM2, (Item) null, StringCredentials.class, List.of(), CredentialsMatchers.always())
                .includeCurrentValue(credentialsId);
    }

    @POST
    public FormValidation doCheckCredentialsId(@QueryParameter String value) {
        if (!Administrators.isCurrentUser() || Util.fixEmptyAndTrim(value) == null) {
            return FormValidation.ok();
        }
        if (CredentialsProvider.listCredentialsInItem(
                        StringCredentials.class, null, ACL.SYSTEM2, List.of(), CredentialsMatchers.withId(value))
                .isEmpty()) {
            return FormValidation.error(
                    Messages.FluxKontextGlobalConfiguration_NoCredential(ApiKeyCredentials.EXPECTED_KIND, value));
        }
        return FormValidation.ok();
    }

    @POST
    public FormValidation doCheckPollTimeout(@QueryParameter String value) {
        return FormChecks.result(ParameterCheck.number("pollTimeout", value, StepSettings::pollTimeoutSeconds));
    }

    @POST
    public FormValidation doCheckTimeout(@QueryParameter String value) {
        return FormChecks.result(ParameterCheck.number("timeout", value, StepSettings::timeoutSeconds));
    }

    @POST
    public FormValidation doCheckPriceTable(@QueryParameter String value) {
        return FormChecks.result(ParameterCheck.priceTable(value));
    }

    @POST
    public FormValidation doCheckMaxCostPerBuild(@QueryParameter String value) {
        return FormChecks.result(ParameterCheck.amount(SpendingLimits.MAX_COST_PER_BUILD, value));
    }

    @POST
    public FormValidation doCheckMaxCostPerJob(@QueryParameter String value) {
        return FormChecks.result(ParameterCheck.amount(SpendingLimits.MAX_COST_PER_JOB, value));
    }

    @POST
    public FormValidation doCheckImageHostsBehindProxy(@QueryParameter String value) {
        return FormChecks.result(ParameterCheck.imageHosts(value));
    }

    /**
     * Calls the provider's cheap account endpoint with the chosen credential, at the base URL saved for that
     * provider. Administrators only, and only by POST: it sends a stored key over the network.
     */
    @POST
    public FormValidation doTestConnection(
            @QueryParameter String credentialsId, @QueryParameter String defaultProvider) {
        return FormChecks.testConnection(null, credentialsId, defaultProvider);
    }
}
