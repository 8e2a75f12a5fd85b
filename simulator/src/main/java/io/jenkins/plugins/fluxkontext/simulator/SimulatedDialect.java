package io.jenkins.plugins.fluxkontext.simulator;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.List;

/**
 * One provider's wire contract over the shared {@link TaskBoard}: its paths, auth header, bodies and status names.
 * A dialect owns path prefixes; the JDK server routes each request to the longest matching prefix, so
 * {@code /v1/} (BFL) and a later {@code /v1/images/generations} (ToAPIs) can live side by side.
 */
interface SimulatedDialect {

    /** The provider id the core uses for this dialect, e.g. {@code bfl}. */
    String id();

    /** The path prefixes this dialect answers, e.g. {@code /v1/}. */
    List<String> pathPrefixes();

    void handle(HttpExchange exchange) throws IOException;
}
