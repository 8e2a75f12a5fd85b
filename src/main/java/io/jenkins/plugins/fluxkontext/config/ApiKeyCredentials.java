package io.jenkins.plugins.fluxkontext.config;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import hudson.AbortException;
import hudson.model.Run;
import hudson.util.Secret;
import io.jenkins.plugins.fluxkontext.core.provider.ApiKey;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/** The one place the plugin reads a provider API key from Jenkins credentials. */
public final class ApiKeyCredentials {

    static final String EXPECTED_KIND = "Secret text";

    private ApiKeyCredentials() {}

    /**
     * The key of the Secret text credential {@code credentialsId}, as {@code run} may use it. The lookup runs on the
     * controller in the build's context, so folder credentials and the job's permissions apply. The use is recorded
     * here ({@code CredentialsProvider.track}): {@code findCredentialById} records it only for a credential chosen by
     * a build parameter, not for a plain id. Never prints the key.
     *
     * @throws AbortException naming the id and the kind expected when there is no such credential for this build, or
     *                        naming the id when its secret cannot be a key (empty, or more than one line)
     */
    public static Secret lookup(String credentialsId, Run<?, ?> run) throws AbortException {
        if (credentialsId == null) {
            throw new AbortException("credentialsId: no value is not allowed; give the id of a \"" + EXPECTED_KIND
                    + "\" credential that holds the provider's API key");
        }
        StringCredentials credential =
                CredentialsProvider.findCredentialById(credentialsId, StringCredentials.class, run);
        if (credential == null) {
            throw new AbortException("No \"" + EXPECTED_KIND + "\" credential with id '" + credentialsId
                    + "' is available to this build (it does not exist, is of another kind, or this job may not use it)."
                    + " Add the provider's API key as a \"" + EXPECTED_KIND + "\" credential with that id.");
        }
        Secret key = credential.getSecret();
        try {
            // Blank, or with a line break inside (pasted from a file of two lines): no request header can carry it.
            ApiKey.of(key.getPlainText());
        } catch (IllegalArgumentException e) {
            throw new AbortException("The \"" + EXPECTED_KIND + "\" credential '" + credentialsId
                    + "' cannot be used as an API key: " + e.getMessage());
        }
        CredentialsProvider.track(run, credential);
        return key;
    }
}
