package io.jenkins.plugins.fluxkontext.core.provider;

import java.net.URI;
import java.util.Locale;
import okhttp3.HttpUrl;

/** A dialect and the base URL to reach it at (its default, a regional host, a gateway or the simulator). */
public record ProviderEndpoint(ProviderDialect dialect, URI baseUrl) {

    public ProviderEndpoint {
        if (dialect == null || baseUrl == null) {
            throw new IllegalArgumentException("a provider endpoint needs a dialect and a base URL");
        }
        if (HttpUrl.parse(baseUrl.toString()) == null) {
            throw new IllegalArgumentException(
                    "the base URL must be an http(s) URL: " + baseUrl.getScheme() + "://" + baseUrl.getHost());
        }
    }

    public static ProviderEndpoint defaultFor(ProviderDialect dialect) {
        return new ProviderEndpoint(dialect, dialect.defaultBaseUrl());
    }

    public HttpUrl base() {
        return HttpUrl.get(baseUrl.toString());
    }

    /** {@code base} plus {@code path}, which may or may not start with a slash, whatever the base's trailing slash. */
    public HttpUrl resolve(String path) {
        String b = baseUrl.toString();
        String joined =
                (b.endsWith("/") ? b.substring(0, b.length() - 1) : b) + (path.startsWith("/") ? path : "/" + path);
        return HttpUrl.get(joined);
    }

    /** {@code base/path/id}, where a provider that names its tasks by id keeps one; the id is one escaped segment. */
    public HttpUrl taskUrl(String path, String id) {
        return base().newBuilder().addPathSegments(path).addPathSegment(id).build();
    }

    /**
     * Whether a request carrying the API key may go to {@code url}. Providers hand us URLs to follow (BFL's
     * {@code polling_url} points at a regional cluster), so the base URL alone is too strict, but a key must not
     * follow an arbitrary URL out of a server's answer. Allowed: the base URL's own origin, and any https host in the
     * base host's domain (for {@code api.bfl.ai}: {@code *.bfl.ai}) when the base itself is https on a domain name.
     */
    public boolean mayReceiveKey(HttpUrl url) {
        HttpUrl base = base();
        if (url.scheme().equals(base.scheme()) && url.host().equals(base.host()) && url.port() == base.port()) {
            return true;
        }
        String domain = domainOf(base.host());
        return base.isHttps()
                && url.isHttps()
                && domain != null
                && (url.host().equals(domain) || url.host().endsWith("." + domain));
    }

    /** The last two labels of a DNS name; {@code null} for IP addresses and single-label hosts like localhost. */
    private static String domainOf(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.contains(":") || h.matches("[0-9.]+")) {
            return null;
        }
        String[] labels = h.split("\\.");
        if (labels.length < 2) {
            return null;
        }
        return labels[labels.length - 2] + "." + labels[labels.length - 1];
    }
}
