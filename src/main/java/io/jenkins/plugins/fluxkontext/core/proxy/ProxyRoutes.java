package io.jenkins.plugins.fluxkontext.core.proxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import okhttp3.Authenticator;
import okhttp3.Challenge;
import okhttp3.Credentials;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.Route;

/**
 * Which proxy, if any, each call takes, and the answer to a proxy's {@code 407}: what an {@link OkHttpClient} is given
 * by {@link #applyTo}. Where the settings come from, in order:
 * <ol>
 * <li>{@link #through(ProxySettings) given explicitly} (the plugin passes the controller's proxy configuration);</li>
 * <li>{@link #keeping(OkHttpClient) a client's own} proxy settings;</li>
 * <li>{@link #forThisMachine the machine that makes the calls}: the JVM's proxy properties when any is set, else the
 * {@code https_proxy}/{@code http_proxy}/{@code no_proxy} variables of its environment, else none.</li>
 * </ol>
 *
 * <p>A proxy's own address is resolved here, before OkHttp sees it: it is configuration, not provider input, and
 * must not meet the image download's name check, which refuses internal addresses (where company proxies live).
 */
public final class ProxyRoutes extends ProxySelector {

    /** How the environment variables name the proxies, lower case first as curl reads them. */
    private static final List<String> HTTPS_VARIABLES = List.of("https_proxy", "HTTPS_PROXY");

    private static final List<String> HTTP_VARIABLES = List.of("http_proxy", "HTTP_PROXY");
    private static final List<String> NO_PROXY_VARIABLES = List.of("no_proxy", "NO_PROXY");
    /** A proxy cannot reach this machine's own loopback; the JVM's default selector skips it too. */
    private static final List<String> LOOPBACK = List.of("localhost", "127.*", "::1");
    /** JVM properties that mean the JVM's own selector knows the proxy. */
    private static final List<String> JVM_PROXY_PROPERTIES =
            List.of("http.proxyHost", "https.proxyHost", "socksProxyHost");

    /** For https targets; {@code null}: direct (unless {@link #jvm} decides). */
    private final ProxySettings forHttps;
    /** For http targets; {@code null}: direct (unless {@link #jvm} decides). */
    private final ProxySettings forHttp;
    /** Decides instead of the two above when set: the JVM's or a client's own selector. */
    private final ProxySelector jvm;
    /** A client's fixed proxy, kept as it is; {@code null}: none. */
    private final Proxy fixed;
    /** Answers a 407 from a proxy none of the settings above names. */
    private final Authenticator otherwise;

    private final String description;

    private ProxyRoutes(
            ProxySettings forHttps,
            ProxySettings forHttp,
            ProxySelector jvm,
            Proxy fixed,
            Authenticator otherwise,
            String description) {
        this.forHttps = forHttps;
        this.forHttp = forHttp;
        this.jvm = jvm;
        this.fixed = fixed;
        this.otherwise = otherwise;
        this.description = description;
    }

    /** Every call through {@code proxy}, except to the hosts it bypasses. */
    public static ProxyRoutes through(ProxySettings proxy) {
        return new ProxyRoutes(proxy, proxy, null, null, Authenticator.NONE, "proxy " + proxy);
    }

    /** What {@code client} was set up with: its fixed proxy or its selector, and its proxy authenticator. */
    public static ProxyRoutes keeping(OkHttpClient client) {
        return new ProxyRoutes(
                null,
                null,
                client.proxySelector(),
                client.proxy(),
                client.proxyAuthenticator(),
                "the HTTP client's proxy settings");
    }

    /**
     * The proxy the machine running this JVM is set up with: the JVM's proxy properties ({@code https.proxyHost} and
     * the like, read by its default selector) or a selector installed in the JVM, when there is one; else the
     * environment's {@code https_proxy}, {@code http_proxy} and {@code no_proxy} (upper case too); else direct.
     *
     * @throws IllegalArgumentException when a proxy variable holds something that cannot be used; the message names
     *                                  the variable but not its credentials
     */
    public static ProxyRoutes forThisMachine(Map<String, String> environment, Properties jvmProperties) {
        ProxySelector installed = ProxySelector.getDefault();
        boolean jvmKnowsAProxy = JVM_PROXY_PROPERTIES.stream().anyMatch(p -> !blank(jvmProperties.getProperty(p)))
                || "true".equalsIgnoreCase(jvmProperties.getProperty("java.net.useSystemProxies"))
                || (installed != null && !installed.getClass().getName().equals("sun.net.spi.DefaultProxySelector"));
        if (!jvmKnowsAProxy) {
            ProxyRoutes fromEnvironment = fromEnvironment(environment);
            if (fromEnvironment != null) {
                return fromEnvironment;
            }
        }
        return new ProxyRoutes(
                null,
                null,
                installed == null ? ProxySelector.of(null) : installed,
                null,
                Authenticator.NONE,
                jvmKnowsAProxy ? "the JVM's proxy settings" : "no proxy");
    }

    /**
     * The proxies the environment variables name, or {@code null} when none is set. {@code no_proxy} is read as curl
     * reads it: comma-separated host names, each also matching its subdomains ({@code example.com},
     * {@code .example.com}), {@code *} for all; a {@code :port} is ignored, address ranges ({@code 10.0.0.0/8}) are
     * not understood. Loopback is always reached directly.
     */
    public static ProxyRoutes fromEnvironment(Map<String, String> environment) {
        ProxySettings https = fromVariable(environment, HTTPS_VARIABLES);
        ProxySettings http = fromVariable(environment, HTTP_VARIABLES);
        if (https == null && http == null) {
            return null;
        }
        List<String> bypass = new ArrayList<>(LOOPBACK);
        String noProxy = first(environment, NO_PROXY_VARIABLES);
        if (noProxy != null) {
            for (String entry : noProxy.split("[,\\s]+")) {
                bypass.addAll(curlStyle(entry));
            }
        }
        https = https == null ? null : https.bypassing(bypass);
        http = http == null ? null : http.bypassing(bypass);
        String description = https != null && http != null && https.equals(http)
                ? "proxy " + https + " (from the environment)"
                : "proxy " + (https == null ? "none" : https) + " for https, " + (http == null ? "none" : http)
                        + " for http (from the environment)";
        return new ProxyRoutes(https, http, null, null, Authenticator.NONE, description);
    }

    /** Gives {@code client} these routes and the answer to a proxy's authentication challenge. */
    public OkHttpClient.Builder applyTo(OkHttpClient.Builder client) {
        // A fixed proxy would win over the selector; it is kept (resolved) only when it is what we were given.
        return client.proxy(fixed == null ? null : resolved(fixed))
                .proxySelector(this)
                .proxyAuthenticator(this::answerChallenge);
    }

    @Override
    public List<Proxy> select(URI uri) {
        if (jvm != null) {
            List<Proxy> chosen = jvm.select(uri);
            return chosen == null || chosen.isEmpty()
                    ? List.of(Proxy.NO_PROXY)
                    : chosen.stream().map(ProxyRoutes::resolved).toList();
        }
        ProxySettings proxy = "https".equalsIgnoreCase(uri.getScheme()) ? forHttps : forHttp;
        if (proxy == null || proxy.bypasses(uri.getHost())) {
            return List.of(Proxy.NO_PROXY);
        }
        return List.of(new Proxy(Proxy.Type.HTTP, new InetSocketAddress(proxy.host(), proxy.port())));
    }

    @Override
    public void connectFailed(URI uri, SocketAddress address, IOException failure) {
        if (jvm != null) {
            jvm.connectFailed(uri, address, failure);
        }
    }

    /** Where calls go, for a log line: never a password. */
    @Override
    public String toString() {
        return description;
    }

    /**
     * A 407 only ever comes from a proxy (OkHttp refuses one on a direct connection), so the credentials go to the
     * proxy that asked and to nobody else. Once they were sent and refused, the 407 stands: asking again would only
     * repeat the refusal. OkHttp also asks before opening an https tunnel (scheme {@code OkHttp-Preemptive}).
     */
    private Request answerChallenge(Route route, Response response) throws IOException {
        ProxySettings proxy = route == null ? null : settingsOf(route.proxy());
        if (proxy == null) {
            return otherwise.authenticate(route, response);
        }
        if (proxy.user() == null || response.request().header("Proxy-Authorization") != null) {
            return null;
        }
        for (Challenge challenge : response.challenges()) {
            String scheme = challenge.scheme();
            if (scheme.equalsIgnoreCase("Basic") || scheme.equalsIgnoreCase("OkHttp-Preemptive")) {
                return response.request()
                        .newBuilder()
                        .header(
                                "Proxy-Authorization",
                                Credentials.basic(proxy.user(), proxy.password(), StandardCharsets.UTF_8))
                        .build();
            }
        }
        return null;
    }

    private ProxySettings settingsOf(Proxy proxy) {
        if (proxy.type() != Proxy.Type.HTTP || !(proxy.address() instanceof InetSocketAddress address)) {
            return null;
        }
        for (ProxySettings candidate : new ProxySettings[] {forHttps, forHttp}) {
            if (candidate != null
                    && candidate.port() == address.getPort()
                    && candidate.host().equalsIgnoreCase(address.getHostString())) {
                return candidate;
            }
        }
        return null;
    }

    private static Proxy resolved(Proxy proxy) {
        if (proxy.type() != Proxy.Type.HTTP
                || !(proxy.address() instanceof InetSocketAddress address)
                || !address.isUnresolved()) {
            return proxy;
        }
        InetSocketAddress lookedUp = new InetSocketAddress(address.getHostString(), address.getPort());
        // Not found: OkHttp's own lookup then reports the unknown proxy host.
        return lookedUp.isUnresolved() ? proxy : new Proxy(Proxy.Type.HTTP, lookedUp);
    }

    private static ProxySettings fromVariable(Map<String, String> environment, List<String> names) {
        for (String name : names) {
            String value = environment.get(name);
            if (!blank(value)) {
                return parse(name, value.strip());
            }
        }
        return null;
    }

    /** {@code http://user:password@host:port}, or {@code host:port}; the password never reaches a message. */
    static ProxySettings parse(String variable, String value) {
        String withScheme = value.contains("://") ? value : "http://" + value;
        URI uri;
        try {
            uri = new URI(withScheme);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(
                    "The proxy in " + variable + " is not a URL such as" + " http://proxy.example:3128");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String where = scheme + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        if (!scheme.equals("http")) {
            throw new IllegalArgumentException("The proxy in " + variable + " (" + where + ") is not a plain http://"
                    + " proxy; only those are supported. Give its http:// address, or configure the proxy in Jenkins.");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException(
                    "The proxy in " + variable + " names no host; give it as" + " http://proxy.example:3128");
        }
        ProxySettings proxy = ProxySettings.of(uri.getHost(), uri.getPort() < 0 ? 80 : uri.getPort());
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            String user = colon < 0 ? userInfo : userInfo.substring(0, colon);
            String password = colon < 0 ? "" : userInfo.substring(colon + 1);
            proxy = proxy.authenticatedAs(percentDecoded(user), percentDecoded(password));
        }
        return proxy;
    }

    /** URL user info is percent-encoded; a {@code +} in it is a plus, not a space. */
    private static String percentDecoded(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** One {@code no_proxy} entry as host patterns. */
    private static List<String> curlStyle(String entry) {
        String e = entry.strip();
        if (e.isEmpty() || e.contains("/")) {
            return List.of();
        }
        if (e.equals("*")) {
            return List.of("*");
        }
        if (e.startsWith("[")) {
            int end = e.indexOf(']');
            return end < 0 ? List.of() : List.of(e.substring(1, end));
        }
        if (e.indexOf(':') == e.lastIndexOf(':') && e.indexOf(':') > 0) {
            e = e.substring(0, e.indexOf(':'));
        }
        e = e.startsWith("*.") ? e.substring(2) : e.startsWith(".") ? e.substring(1) : e;
        return e.contains(":") ? List.of(e) : List.of(e, "*." + e);
    }

    private static String first(Map<String, String> environment, List<String> names) {
        for (String name : names) {
            String value = environment.get(name);
            if (!blank(value)) {
                return value;
            }
        }
        return null;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
