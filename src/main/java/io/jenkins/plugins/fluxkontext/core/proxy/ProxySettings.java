package io.jenkins.plugins.fluxkontext.core.proxy;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import okhttp3.OkHttpClient;

/**
 * An HTTP proxy that calls go through: its host and port, the hosts reached directly instead, and the user and
 * password the proxy may ask for. Plain values, so that the controller can read its proxy configuration and send it
 * to the agent, where the calls are made.
 *
 * <p>The password is only ever given to the proxy, in answer to its {@code 407} challenge. It is in no
 * {@link #toString()}, no message and no exception.
 */
public final class ProxySettings implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String host;
    private final int port;
    /** Host patterns: {@code *} stands for any characters; a pattern matches the whole host name, ignoring case. */
    private final ArrayList<String> bypass;
    /** {@code null}: the proxy is not asked for credentials. */
    private final String user;

    private final String password;

    private ProxySettings(String host, int port, List<String> bypass, String user, String password) {
        this.host = host;
        this.port = port;
        this.bypass = new ArrayList<>(bypass);
        this.user = user;
        this.password = password;
    }

    /**
     * @param host a host name or address, without scheme or port
     * @throws IllegalArgumentException when the host is empty or not a bare host, or the port is outside 1 to 65535
     */
    public static ProxySettings of(String host, int port) {
        String h = host == null ? "" : host.strip();
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.isEmpty() || h.contains("/") || h.contains("@") || h.contains(" ")) {
            throw new IllegalArgumentException("a proxy needs a bare host name or address, not '" + host + "'");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("the port of proxy " + h + " must be 1 to 65535, not " + port);
        }
        return new ProxySettings(h, port, List.of(), null, null);
    }

    /**
     * The same proxy, with {@code hostPatterns} reached directly as well. A pattern is a host name or address in which
     * {@code *} stands for any characters ({@code *.corp.example}, {@code 10.*}), the way Jenkins' "No Proxy Host"
     * field reads it; it must match the whole host.
     */
    public ProxySettings bypassing(Collection<String> hostPatterns) {
        List<String> all = new ArrayList<>(bypass);
        for (String pattern : hostPatterns) {
            String p = pattern == null ? "" : pattern.strip();
            if (!p.isEmpty() && !all.contains(p)) {
                all.add(p);
            }
        }
        return new ProxySettings(host, port, all, user, password);
    }

    /** The same proxy, answering its authentication challenge as {@code user}; a blank user means none. */
    public ProxySettings authenticatedAs(String user, String password) {
        if (user == null || user.isBlank()) {
            return new ProxySettings(host, port, bypass, null, null);
        }
        return new ProxySettings(host, port, bypass, user, password == null ? "" : password);
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public List<String> bypass() {
        return List.copyOf(bypass);
    }

    /** The user the proxy is answered as; {@code null} when none. */
    public String user() {
        return user;
    }

    /** Only for the answer to the proxy's challenge. */
    String password() {
        return password;
    }

    /** Whether calls to {@code targetHost} go directly instead of through this proxy. */
    public boolean bypasses(String targetHost) {
        if (targetHost == null) {
            return false;
        }
        String h = targetHost.startsWith("[") && targetHost.endsWith("]")
                ? targetHost.substring(1, targetHost.length() - 1)
                : targetHost;
        for (String pattern : bypass) {
            if (glob(pattern).matcher(h).matches()) {
                return true;
            }
        }
        return false;
    }

    /** Routes every call of {@code client} through this proxy, except those to bypassed hosts. */
    public OkHttpClient.Builder applyTo(OkHttpClient.Builder client) {
        return ProxyRoutes.through(this).applyTo(client);
    }

    private static Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (String literal : pattern.split("\\*", -1)) {
            if (!regex.isEmpty()) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(literal.toLowerCase(Locale.ROOT)));
        }
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE);
    }

    /** {@code http://host:port}, the user and the bypassed hosts; never the password. */
    @Override
    public String toString() {
        String where = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        return where
                + (user == null ? "" : " as " + user)
                + (bypass.isEmpty() ? "" : ", not for " + String.join(", ", bypass));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProxySettings other
                && host.equals(other.host)
                && port == other.port
                && bypass.equals(other.bypass)
                && Objects.equals(user, other.user)
                && Objects.equals(password, other.password);
    }

    @Override
    public int hashCode() {
        return Objects.hash(host, port, bypass, user);
    }
}
