package io.jenkins.plugins.fluxkontext.config;

import hudson.model.Item;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * The web methods behind a step's configuration form, the same for the Pipeline steps' Snippet Generator and the
 * freestyle build steps' form: each drop-down, each field check, the credential list and the connection test, all
 * POST only, over {@link StepForm} and {@link FormChecks} (docs/reliability.md S-01..S-04, S-08, S-15). The two
 * descriptor families share no superclass ({@code StepDescriptor}, {@code BuildStepDescriptor}), so both implement
 * this interface.
 *
 * <p>Why default methods serve as web methods: Stapler's {@code ClassDescriptor} collects the public methods of a
 * class's interfaces before its own, {@code @POST} is read from the method that declares it, and the
 * {@code @QueryParameter} names come from the parameters compiled into it; Jenkins finds {@code doCheck…} and
 * {@code doFill…Items} through {@code Class#getMethods}, which includes inherited default methods. Jenkins core's job
 * pages are served the same way ({@code ParameterizedJobMixIn.ParameterizedJob#doBuild}, {@code #doDisable}).
 */
public interface StepFormMethods {

    /** Whose rules the field checks apply: {@link StepForm#PIPELINE} or {@link StepForm#FREESTYLE}. */
    StepForm stepForm();

    @POST
    default ListBoxModel doFillCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String credentialsId) {
        return FormChecks.credentialItems(item, credentialsId);
    }

    @POST
    default FormValidation doCheckCredentialsId(@AncestorInPath Item item, @QueryParameter String value) {
        return FormChecks.checkCredentialsId(item, value);
    }

    /**
     * Tests the chosen credential against the provider at the address an administrator configured (never the step's
     * own base URL). Needs permission to configure the job, or to administer Jenkins outside one.
     */
    @POST
    default FormValidation doTestConnection(
            @AncestorInPath Item item, @QueryParameter String credentialsId, @QueryParameter String provider) {
        return FormChecks.testConnection(item, credentialsId, provider);
    }

    @POST
    default ListBoxModel doFillProviderItems(@QueryParameter String provider) {
        return FormChecks.items(StepForm.provider(provider));
    }

    @POST
    default ListBoxModel doFillModelItems(@QueryParameter String model) {
        return FormChecks.items(StepForm.model(model));
    }

    @POST
    default ListBoxModel doFillOutputFormatItems(@QueryParameter String outputFormat) {
        return FormChecks.items(StepForm.outputFormat(outputFormat));
    }

    @POST
    default ListBoxModel doFillOnModerationItems(@QueryParameter String onModeration) {
        return FormChecks.items(StepForm.onModeration(onModeration));
    }

    @POST
    default ListBoxModel doFillReuseItems(@QueryParameter String reuse) {
        return FormChecks.items(StepForm.reuse(reuse));
    }

    @POST
    default FormValidation doCheckPrompt(@QueryParameter String value) {
        return FormChecks.answer(stepForm().prompt(value));
    }

    @POST
    default FormValidation doCheckAspectRatio(@QueryParameter String value) {
        return FormChecks.answer(stepForm().aspectRatio(value));
    }

    @POST
    default FormValidation doCheckAspectRatios(@QueryParameter String value) {
        return FormChecks.answer(stepForm().aspectRatios(value));
    }

    @POST
    default FormValidation doCheckFromSidecar(@QueryParameter String value) {
        return FormChecks.answer(stepForm().fromSidecar(value));
    }

    @POST
    default FormValidation doCheckCount(@QueryParameter String value) {
        return FormChecks.answer(stepForm().count(value));
    }

    @POST
    default FormValidation doCheckSeed(@QueryParameter String value) {
        return FormChecks.answer(stepForm().seed(value));
    }

    @POST
    default FormValidation doCheckSafetyTolerance(@QueryParameter String value) {
        return FormChecks.answer(stepForm().safetyTolerance(value));
    }

    @POST
    default FormValidation doCheckOutputDir(@QueryParameter String value) {
        return FormChecks.answer(stepForm().outputDir(value));
    }

    @POST
    default FormValidation doCheckFileNamePattern(@QueryParameter String value) {
        return FormChecks.answer(stepForm().fileNamePattern(value));
    }

    @POST
    default FormValidation doCheckTimeout(@QueryParameter String value) {
        return FormChecks.answer(stepForm().timeout(value));
    }

    @POST
    default FormValidation doCheckMaxCost(@QueryParameter String value) {
        return FormChecks.answer(stepForm().maxCost(value));
    }

    /** Syntax only: no connection is made, so this cannot be used to probe addresses. */
    @POST
    default FormValidation doCheckBaseUrl(@QueryParameter String value) {
        return FormChecks.answer(stepForm().baseUrl(value));
    }
}
