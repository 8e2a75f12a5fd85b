package io.jenkins.plugins.fluxkontext.config;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.BulkChange;
import hudson.Extension;
import hudson.ExtensionList;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.fluxkontext.core.budget.Dollars;
import io.jenkins.plugins.fluxkontext.core.budget.MonthlyLimit;
import io.jenkins.plugins.fluxkontext.core.budget.PriceTable;
import io.jenkins.plugins.fluxkontext.core.budget.SpendingLimits;
import io.jenkins.plugins.fluxkontext.core.model.InvalidRequestException;
import io.jenkins.plugins.fluxkontext.core.provider.catalog.Providers;
import io.jenkins.plugins.fluxkontext.core.throttle.TaskThrottle;
import io.jenkins.plugins.fluxkontext.parameters.ConfiguredDefaults;
import io.jenkins.plugins.fluxkontext.parameters.ImageHostsBehindProxy;
import io.jenkins.plugins.fluxkontext.parameters.StepSettings;
import io.jenkins.plugins.fluxkontext.parameters.TrimmedText;
import java.io.File;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jenkins.model.GlobalConfiguration;
import jenkins.model.Jenkins;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.verb.POST;

/**
 * Manage Jenkins → System → FLUX.1 Kontext: defaults for every step and build step that leaves a field empty, the
 * providers' addresses and in-flight limits, the price table, the spending limits per build and per job, the
 * controller's monthly limit, and the image hosts downloads may reach through a proxy unchecked. Configuration-as-code
 * sets the same properties under {@code unclassified: fluxKontext:}.
 *
 * <p>Every setter but the monthly limit's refuses a value that is not allowed with a {@link SettingRefusedException}
 * naming the field, so a typo in configuration-as-code fails when it is applied; the form gets the same words as a
 * message ({@link #configure}).
 *
 * <p>Long because XStream and configuration-as-code read its fields and properties on this one class; the checks,
 * the credential lists and the form's refusals live in {@link ParameterCheck}, {@link FormChecks} and
 * {@link SubmittedConfiguration}.
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
    /** What all jobs of the controller together may spend per calendar month (UTC); checked when a build uses it. */
    private String maxCostPerMonth;
    /** One host name or {@code *.domain} per line; see {@link ImageHostsBehindProxy}. */
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
        String value = TrimmedText.orNull(defaultProvider);
        // Refused here so a typo in configuration-as-code fails at load, not in every build.
        try {
            this.defaultProvider = value == null ? null : Providers.byId(value).id();
        } catch (InvalidRequestException e) {
            throw refused("defaultProvider", e);
        }
        save();
    }

    /** The Secret text credential a step uses when it names none. */
    public @CheckForNull String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = TrimmedText.orNull(credentialsId);
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
            throw new SettingRefusedException("pollTimeout", problem);
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
            throw new SettingRefusedException("timeout", problem);
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
        String text = TrimmedText.orNull(priceTable) == null ? null : priceTable.replace("\r\n", "\n");
        String problem = ParameterCheck.priceTable(text);
        if (problem != null) {
            throw new SettingRefusedException("priceTable", problem);
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
        this.maxCostPerBuild = amount("maxCostPerBuild", SpendingLimits.MAX_COST_PER_BUILD, maxCostPerBuild);
        save();
    }

    public @CheckForNull String getMaxCostPerJob() {
        return maxCostPerJob;
    }

    @DataBoundSetter
    public void setMaxCostPerJob(String maxCostPerJob) {
        this.maxCostPerJob = amount("maxCostPerJob", SpendingLimits.MAX_COST_PER_JOB, maxCostPerJob);
        save();
    }

    public @CheckForNull String getMaxCostPerMonth() {
        return maxCostPerMonth;
    }

    /**
     * Stored as typed, trimmed: configuration-as-code and scripts must be able to set any text without an exception
     * here. The form checks it ({@link #doCheckMaxCostPerMonth}), and a build reads it through
     * {@link #controllerMonthlyLimit()}, which refuses a value that is not an amount before anything is sent.
     */
    @DataBoundSetter
    public void setMaxCostPerMonth(String maxCostPerMonth) {
        this.maxCostPerMonth = TrimmedText.orNull(maxCostPerMonth);
        save();
    }

    /** One host name or {@code *.domain} per line; see {@link ImageHostsBehindProxy}. */
    public @CheckForNull String getImageHostsBehindProxy() {
        return imageHostsBehindProxy;
    }

    @DataBoundSetter
    public void setImageHostsBehindProxy(String imageHostsBehindProxy) {
        String text = TrimmedText.orNull(imageHostsBehindProxy);
        String problem = ParameterCheck.imageHosts(text);
        if (problem != null) {
            throw new SettingRefusedException(ImageHostsBehindProxy.FIELD, problem);
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

    /**
     * The controller's monthly limit, or {@code null} when none is set.
     *
     * @throws io.jenkins.plugins.fluxkontext.core.model.InvalidRequestException naming the field, the value typed and
     *                                                                           what is allowed
     */
    public @CheckForNull MonthlyLimit controllerMonthlyLimit() {
        BigDecimal usd = Dollars.parse(MonthlyLimit.MAX_COST_PER_MONTH, maxCostPerMonth);
        return usd == null ? null : MonthlyLimit.controller(usd);
    }

    /**
     * A file in {@code $JENKINS_HOME}, beside this configuration's own: where the plugin keeps what it records (such as
     * the monthly spending).
     */
    public File fileInJenkinsHome(String name) {
        return new File(Jenkins.get().getRootDir(), name);
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

    /** {@code name} is how the limit reads in messages, e.g. {@code maxCostPerBuild}; {@code field} the property. */
    private static String amount(String field, String name, String value) {
        String text = TrimmedText.orNull(value);
        String problem = ParameterCheck.amount(name, text);
        if (problem != null) {
            throw new SettingRefusedException(field, problem);
        }
        return text;
    }

    private static SettingRefusedException refused(String field, InvalidRequestException e) {
        return new SettingRefusedException(field, SubmittedConfiguration.messages(e));
    }

    // ------------------------------------------------------------------ Manage Jenkins → System

    /**
     * Binds the submitted section as {@code GlobalConfiguration} does ({@code req.bindJSON(this, json)}), with three
     * differences. The provider list is emptied first: with its last entry deleted the form sends no
     * {@code providers} at all, and binding calls only the setters of what was sent, so the old list would stay.
     * A provider's in-flight limit left blank keeps its default instead of becoming 0. And a refused value becomes a
     * message on the form ({@code FormException}) instead of an error page, with the settings as they were: nothing is
     * written until every value is bound.
     */
    @Override
    public boolean configure(StaplerRequest2 req, JSONObject json) throws FormException {
        Snapshot before = new Snapshot(this);
        try (BulkChange change = new BulkChange(this)) {
            providers = new ArrayList<>();
            SubmittedConfiguration.withoutBlankLimits(json.get("providers"));
            req.bindJSON(this, json);
            change.commit();
        } catch (IllegalArgumentException e) {
            before.restore(this);
            throw SubmittedConfiguration.formException(e);
        } catch (IOException e) {
            before.restore(this);
            throw new FormException(e.getMessage(), e, null);
        }
        ProviderThrottle.get().throttle().limitsChanged();
        return true;
    }

    /** The settings' fields, to put back when a submission is refused half way through binding. */
    private record Snapshot(
            String defaultProvider,
            String credentialsId,
            List<ProviderSettings> providers,
            Integer pollTimeout,
            Integer timeout,
            String priceTable,
            String maxCostPerBuild,
            String maxCostPerJob,
            String maxCostPerMonth,
            String imageHostsBehindProxy) {

        Snapshot(FluxKontextGlobalConfiguration c) {
            this(
                    c.defaultProvider,
                    c.credentialsId,
                    new ArrayList<>(c.providers),
                    c.pollTimeout,
                    c.timeout,
                    c.priceTable,
                    c.maxCostPerBuild,
                    c.maxCostPerJob,
                    c.maxCostPerMonth,
                    c.imageHostsBehindProxy);
        }

        void restore(FluxKontextGlobalConfiguration c) {
            c.defaultProvider = defaultProvider;
            c.credentialsId = credentialsId;
            c.providers = new ArrayList<>(providers);
            c.pollTimeout = pollTimeout;
            c.timeout = timeout;
            c.priceTable = priceTable;
            c.maxCostPerBuild = maxCostPerBuild;
            c.maxCostPerJob = maxCostPerJob;
            c.maxCostPerMonth = maxCostPerMonth;
            c.imageHostsBehindProxy = imageHostsBehindProxy;
        }
    }

    // ------------------------------------------------------------------ form

    @POST
    public ListBoxModel doFillDefaultProviderItems() {
        return FormChecks.providerItems();
    }

    /** The credentials consumer pattern for a global field: administrators only, listed as the system. */
    @POST
    public ListBoxModel doFillCredentialsIdItems(@QueryParameter String credentialsId) {
        return FormChecks.credentialItems(null, credentialsId);
    }

    @POST
    public FormValidation doCheckCredentialsId(@QueryParameter String value) {
        return FormChecks.checkCredentialsId(null, value);
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
    public FormValidation doCheckMaxCostPerMonth(@QueryParameter String value) {
        return FormChecks.result(ParameterCheck.amount(MonthlyLimit.MAX_COST_PER_MONTH, value));
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
