package io.jenkins.plugins.fluxkontext.config;

import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import hudson.AbortException;
import hudson.model.Item;
import hudson.model.Queue;
import hudson.model.queue.Tasks;
import hudson.security.ACL;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.fluxkontext.core.model.InvalidRequestException;
import io.jenkins.plugins.fluxkontext.core.provider.ApiKey;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderDialect;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderEndpoint;
import io.jenkins.plugins.fluxkontext.core.provider.catalog.Providers;
import io.jenkins.plugins.fluxkontext.parameters.ConfiguredDefaults;
import io.jenkins.plugins.fluxkontext.parameters.TrimmedText;
import java.net.URI;
import java.util.List;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.springframework.security.core.Authentication;

/**
 * The Jenkins half of the form methods the Pipeline steps, the freestyle build steps and the global configuration
 * share: permission gates, credential lists in an item's context, the connection test, and {@link StepForm}'s plain
 * answers and choices as Jenkins' form types. The wording of every check comes from {@link ParameterCheck}.
 */
public final class FormChecks {

    private FormChecks() {}

    public static FormValidation result(String problem) {
        return problem == null ? FormValidation.ok() : FormValidation.error(problem);
    }

    public static FormValidation answer(StepForm.Answer answer) {
        if (!answer.ok()) {
            return FormValidation.error(answer.message());
        }
        return answer.message() == null ? FormValidation.ok() : FormValidation.ok(answer.message());
    }

    /** Every provider, as the global configuration's default provider and a provider's settings offer them. */
    static ListBoxModel providerItems() {
        return items(StepForm.providers());
    }

    public static ListBoxModel items(List<StepForm.Choice> choices) {
        ListBoxModel items = new ListBoxModel();
        for (StepForm.Choice c : choices) {
            items.add(new ListBoxModel.Option(c.label(), c.value(), c.selected()));
        }
        return items;
    }

    /**
     * Job/Configure on {@code item}, or Overall/Administer when there is none (the global configuration).
     *
     * @throws org.springframework.security.access.AccessDeniedException otherwise
     */
    static void checkConfigure(Item item) {
        if (item == null) {
            Administrators.check();
        } else {
            item.checkPermission(Item.CONFIGURE);
        }
    }

    /** Whether the current user may see which credentials {@code item} (or, when {@code null}, Jenkins) can use. */
    static boolean maySeeCredentials(Item item) {
        return item == null
                ? Administrators.isCurrentUser()
                : item.hasPermission(Item.EXTENDED_READ) || item.hasPermission(CredentialsProvider.USE_ITEM);
    }

    /** The credentials consumer guide's pattern: nothing but the current value for someone who may not look. */
    public static ListBoxModel credentialItems(Item item, String credentialsId) {
        if (!maySeeCredentials(item)) {
            return new StandardListBoxModel().includeCurrentValue(credentialsId);
        }
        return new StandardListBoxModel()
                .includeEmptyValue()
                .includeMatchingAs(
                        authenticationOf(item), item, StringCredentials.class, List.of(), CredentialsMatchers.always())
                .includeCurrentValue(credentialsId);
    }

    /** Whether {@code item} (or, when {@code null}, Jenkins) has a Secret text credential with the id {@code value}. */
    public static FormValidation checkCredentialsId(Item item, String value) {
        if (!maySeeCredentials(item) || TrimmedText.orNull(value) == null) {
            // Blank uses the global default credential.
            return FormValidation.ok();
        }
        if (value.contains("${")) {
            return FormValidation.warning(Messages.FormChecks_ResolvedWhenTheBuildRuns());
        }
        if (CredentialsProvider.listCredentialsInItem(
                        StringCredentials.class,
                        item,
                        authenticationOf(item),
                        List.of(),
                        CredentialsMatchers.withId(value))
                .isEmpty()) {
            return FormValidation.error(noCredential(item, value));
        }
        return FormValidation.ok();
    }

    /**
     * Sends the stored key to the provider's account endpoint. The address is never taken from the request: it is
     * the base URL an administrator saved for the provider, or the provider's documented one, so a user who may
     * configure a job cannot point a key at a server of their choice. The credential is resolved in {@code item}'s
     * context with the job's authentication, as a build would. Needs permission to configure {@code item}
     * ({@link #checkConfigure}), checked here so that every form asks the same; callers require POST.
     */
    public static FormValidation testConnection(Item item, String credentialsId, String provider) {
        checkConfigure(item);
        FluxKontextGlobalConfiguration global = FluxKontextGlobalConfiguration.get();
        ConfiguredDefaults defaults = global.defaults();
        String id = TrimmedText.orNull(credentialsId) == null ? defaults.credentialsId() : credentialsId.strip();
        if (id == null) {
            return FormValidation.error(Messages.FormChecks_ChooseACredential());
        }
        ProviderDialect dialect;
        try {
            dialect = Providers.byId(TrimmedText.orNull(provider) == null ? defaults.provider() : provider);
        } catch (InvalidRequestException e) {
            return FormValidation.error(e.violations().get(0).message());
        }
        StringCredentials credential = CredentialsMatchers.firstOrNull(
                CredentialsProvider.lookupCredentialsInItem(
                        StringCredentials.class, item, authenticationOf(item), List.of()),
                CredentialsMatchers.withId(id));
        if (credential == null) {
            return FormValidation.error(noCredential(item, id));
        }
        String baseUrl = defaults.baseUrlFor(dialect.id());
        ProviderEndpoint endpoint = baseUrl == null
                ? ProviderEndpoint.defaultFor(dialect)
                : new ProviderEndpoint(dialect, URI.create(baseUrl));
        ConnectionCheck.Outcome outcome;
        ConnectionCheck check;
        try {
            check = new ConnectionCheck(ControllerProxy.configured());
        } catch (AbortException e) {
            return FormValidation.error(e.getMessage());
        }
        try {
            outcome = check.check(endpoint, ApiKey.of(credential.getSecret().getPlainText()));
        } catch (IllegalArgumentException e) {
            return FormValidation.error(Messages.FormChecks_EmptyCredential(id));
        }
        return outcome.ok() ? FormValidation.ok(outcome.message()) : FormValidation.error(outcome.message());
    }

    private static String noCredential(Item item, String id) {
        return item == null
                ? Messages.FormChecks_NoCredential(ApiKeyCredentials.EXPECTED_KIND, id)
                : Messages.FormChecks_NoCredentialForThisJob(ApiKeyCredentials.EXPECTED_KIND, id);
    }

    private static Authentication authenticationOf(Item item) {
        return item instanceof Queue.Task task ? Tasks.getAuthenticationOf2(task) : ACL.SYSTEM2;
    }
}
