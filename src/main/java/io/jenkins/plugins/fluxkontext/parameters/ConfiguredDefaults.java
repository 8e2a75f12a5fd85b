package io.jenkins.plugins.fluxkontext.parameters;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the global configuration supplies to a step or build step that leaves a field empty. Plain values, so the
 * way defaults apply ({@link StepSettings#withDefaults}) is tested without Jenkins.
 *
 * @param provider           the default provider id, or {@code null} for {@code bfl}
 * @param baseUrls           base URL by provider id (lower case); a provider without one uses its documented URL
 * @param credentialsId      the default credential, or {@code null}
 * @param timeoutSeconds     the default total timeout, or {@code null} for the built-in one
 * @param pollTimeoutSeconds how long one call may stall, or {@code null} for the built-in one
 * @param imageHostsBehindProxy image hosts an administrator allows to be fetched through a proxy although the agent
 *                              cannot look them up; steps cannot set these
 */
public record ConfiguredDefaults(
        String provider,
        Map<String, String> baseUrls,
        String credentialsId,
        Integer timeoutSeconds,
        Integer pollTimeoutSeconds,
        List<String> imageHostsBehindProxy) {

    public static final ConfiguredDefaults NONE = new ConfiguredDefaults(null, Map.of(), null, null, null);

    public ConfiguredDefaults {
        baseUrls = Map.copyOf(baseUrls);
        imageHostsBehindProxy = List.copyOf(imageHostsBehindProxy);
    }

    /** Without image hosts allowed behind a proxy. */
    public ConfiguredDefaults(
            String provider,
            Map<String, String> baseUrls,
            String credentialsId,
            Integer timeoutSeconds,
            Integer pollTimeoutSeconds) {
        this(provider, baseUrls, credentialsId, timeoutSeconds, pollTimeoutSeconds, List.of());
    }

    /** The configured base URL of {@code providerId}, or {@code null} to use the provider's own. */
    public String baseUrlFor(String providerId) {
        return providerId == null ? null : baseUrls.get(providerId.strip().toLowerCase(Locale.ROOT));
    }
}
