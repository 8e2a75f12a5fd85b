package io.jenkins.plugins.fluxkontext.testing;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import hudson.util.Secret;
import java.io.IOException;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;

/** The API key the JenkinsRule tests store, as a Secret text credential of the controller. */
public final class SecretTextCredentials {

    /** Distinctive, so that finding it anywhere is a leak and not a coincidence. */
    public static final String API_KEY = "bfl-sk-test-7f3a9c1e5d2b";

    private SecretTextCredentials() {}

    public static void addSecretText(String id, String secret) throws IOException {
        SystemCredentialsProvider store = SystemCredentialsProvider.getInstance();
        store.getCredentials()
                .add(new StringCredentialsImpl(
                        CredentialsScope.GLOBAL, id, "FLUX.1 Kontext API key", Secret.fromString(secret)));
        store.save();
    }
}
