package io.jenkins.plugins.fluxkontext.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Ways the simulator answers an exchange, including the broken ones. */
final class Reply {

    static final ObjectMapper JSON = new ObjectMapper();

    /** Thrown out of a handler so the JDK server drops the connection instead of keeping it alive. */
    static final class HangUp extends IOException {
        private static final long serialVersionUID = 1L;

        HangUp(String why) {
            super(why);
        }
    }

    private Reply() {}

    static void json(HttpExchange exchange, int status, Object body) throws IOException {
        bytes(exchange, status, "application/json", JSON.writeValueAsBytes(body));
    }

    static void json(HttpExchange exchange, int status, Object body, Map<String, String> headers) throws IOException {
        headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        json(exchange, status, body);
    }

    static void detail(HttpExchange exchange, int status, String detail) throws IOException {
        json(exchange, status, Map.of("detail", detail));
    }

    static void text(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        bytes(exchange, status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    static void bytes(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /**
     * Closes the connection without an answer: the client has sent its request and reads end-of-stream. The JDK
     * server gives no access to the socket (so no TCP RST via SO_LINGER 0), but an EOF where a status line was due
     * is what a client sees when a proxy or a crashing server drops it, and it must be handled the same way.
     */
    static void hangUp(HttpExchange exchange, String why) throws HangUp {
        exchange.close();
        throw new HangUp(why);
    }
}
