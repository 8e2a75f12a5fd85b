package io.jenkins.plugins.fluxkontext.core.provider;

import io.jenkins.plugins.fluxkontext.core.model.Violation;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * The rule for every base URL, the same in the plugin (a step's, an administrator's) and on the command line: a base
 * URL receives the API key, so it must be https; plain http is accepted only for this machine (a local simulator or
 * test server), where nothing crosses a network. No user info, no query: neither belongs in a base URL, and both end
 * up in logs.
 */
public final class BaseUrlRule {

    static final String ALLOWED = "use an https URL such as https://api.eu.bfl.ai (http only for localhost)";

    private BaseUrlRule() {}

    /** {@code null} when {@code value} is empty or allowed, else the problem, naming the field {@code baseUrl}. */
    public static Violation check(String value) {
        if (value == null) {
            return null;
        }
        URI uri;
        try {
            uri = new URI(value.trim());
        } catch (URISyntaxException e) {
            return new Violation("baseUrl", value, ALLOWED);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null) {
            return new Violation("baseUrl", value, ALLOWED);
        }
        if (scheme.equals("https") || (scheme.equals("http") && isThisMachine(uri.getHost()))) {
            return null;
        }
        return new Violation("baseUrl", value, ALLOWED);
    }

    /** {@code localhost}, {@code 127.x}, {@code ::1}: a server on this machine. */
    public static boolean isThisMachine(String host) {
        if (host == null) {
            return false;
        }
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        // Literal addresses only: a name is never resolved here, so a check cannot be steered by DNS.
        if (!h.matches("[0-9.]+") && !h.contains(":")) {
            return false;
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
