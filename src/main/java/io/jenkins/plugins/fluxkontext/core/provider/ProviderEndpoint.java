package io.jenkins.plugins.fluxkontext.core.provider;

import java.net.URI;
import java.util.Locale;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;

/** A dialect and the base URL to reach it at (its default, a regional host, a gateway or the simulator). */
public record ProviderEndpoint(ProviderDialect dialect, URI baseUrl) {

    private static final Pattern LOOPBACK_V4 = Pattern.compile("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");

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
     * follow an arbitrary URL out of a server's answer. Allowed: the base URL's own origin ({@link #sameOrigin}), and
     * any https host in the base host's domain (for {@code api.bfl.ai}: {@code *.bfl.ai}) when the base itself is https
     * on a domain name.
     */
    public boolean mayReceiveKey(HttpUrl url) {
        HttpUrl base = base();
        if (sameOrigin(url, base)) {
            return true;
        }
        String domain = domainOf(base.host());
        return base.isHttps()
                && url.isHttps()
                && domain != null
                && (url.host().equals(domain) || url.host().endsWith("." + domain));
    }

    /** Whether the base URL is on this machine's loopback interface (a simulator or a test server). */
    public boolean isLoopback() {
        return isLoopbackHost(base().host());
    }

    /**
     * Whether two URLs are one origin: scheme, host and port alike, where the loopback names of this machine
     * ({@code localhost}, {@code 127.0.0.1} and the rest of 127.0.0.0/8, {@code ::1}) count as one host. A server on
     * loopback cannot tell which of them its client used, so the URLs it hands out may name another one; none of them
     * leaves the machine.
     */
    public static boolean sameOrigin(HttpUrl a, HttpUrl b) {
        return a.scheme().equals(b.scheme())
                && a.port() == b.port()
                && (a.host().equalsIgnoreCase(b.host()) || (isLoopbackHost(a.host()) && isLoopbackHost(b.host())));
    }

    /** {@code localhost}, an address in 127.0.0.0/8 or {@code ::1}, as {@link HttpUrl#host()} writes them. */
    public static boolean isLoopbackHost(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost")
                || h.equals("::1")
                || LOOPBACK_V4.matcher(h).matches();
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
