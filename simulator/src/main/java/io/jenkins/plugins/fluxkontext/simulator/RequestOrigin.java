package io.jenkins.plugins.fluxkontext.simulator;

import com.sun.net.httpserver.HttpExchange;
import java.net.URI;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The origin a client reached the simulator at, for the URLs the simulator hands out (polling, result, cancel and
 * image URLs): a client that asked {@code http://localhost:8089} is told to poll {@code http://localhost:8089/…}, as a
 * real provider answers with its own host. Only this machine's loopback names are taken from the {@code Host} header;
 * any other name (a DNS-rebinding page, a typo) gets the simulator's own {@code 127.0.0.1} origin.
 */
final class RequestOrigin {

    /** The header every answer of the simulator carries, so a client can tell a simulated result from a real one. */
    static final String MARK_HEADER = "X-Flux-Kontext-Simulator";

    private static final Pattern LOOPBACK_HOST =
            Pattern.compile("(localhost|127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}|\\[::1])(:\\d{1,5})?");

    private RequestOrigin() {}

    /** {@code http://} plus the request's {@code Host} when it names loopback, else {@code fallback}. */
    static URI of(HttpExchange exchange, URI fallback) {
        String host = exchange.getRequestHeaders().getFirst("Host");
        if (host == null) {
            return fallback;
        }
        String h = host.trim().toLowerCase(Locale.ROOT);
        return LOOPBACK_HOST.matcher(h).matches() ? URI.create("http://" + h) : fallback;
    }
}
