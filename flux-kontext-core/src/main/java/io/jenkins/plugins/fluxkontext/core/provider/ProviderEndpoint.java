package io.jenkins.plugins.fluxkontext.core.provider;

import java.net.URI;

/** A dialect and the base URL to reach it at (its default, a regional host, a gateway or the simulator). */
public record ProviderEndpoint(ProviderDialect dialect, URI baseUrl) {

    public static ProviderEndpoint defaultFor(ProviderDialect dialect) {
        return new ProviderEndpoint(dialect, dialect.defaultBaseUrl());
    }
}
