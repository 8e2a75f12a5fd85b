package io.jenkins.plugins.fluxkontext.testing;

import static io.jenkins.plugins.fluxkontext.testing.SecretTextCredentials.API_KEY;
import static io.jenkins.plugins.fluxkontext.testing.SecretTextCredentials.addSecretText;

import io.jenkins.plugins.fluxkontext.config.FluxKontextGlobalConfiguration;
import io.jenkins.plugins.fluxkontext.config.ProviderSettings;
import java.io.IOException;
import java.util.List;

/** Manage Jenkins → System as the JenkinsRule tests set it up: the test key, and BFL at a local server. */
public final class ControllerDefaults {

    /** The id of the Secret text credential holding {@link SecretTextCredentials#API_KEY}. */
    public static final String CREDENTIALS_ID = "flux-key";

    private ControllerDefaults() {}

    /**
     * Stores the test key and makes it the default credential, and points the bfl provider at {@code bfl}: a step that
     * names neither its credential nor its base URL reaches the local server with the test key.
     */
    public static void useKeyAndLocalBfl(BflServer bfl) throws IOException {
        addSecretText(CREDENTIALS_ID, API_KEY);
        FluxKontextGlobalConfiguration.get().setCredentialsId(CREDENTIALS_ID);
        useLocalBfl(bfl);
    }

    /** The bfl provider's base URL set to {@code bfl}'s, as an administrator would set it. */
    public static void useLocalBfl(BflServer bfl) {
        ProviderSettings local = new ProviderSettings("bfl");
        local.setBaseUrl(bfl.baseUrl());
        FluxKontextGlobalConfiguration.get().setProviders(List.of(local));
    }
}
