package io.jenkins.plugins.fluxkontext.simulator;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Serves result images at signed, expiring URLs, like the providers' delivery hosts
 * ({@code /results/{task}/sample.png?se=EXPIRY&sig=SIGNATURE}): a link past its expiry or with a wrong signature
 * answers 403, as a signed storage link does. The delivery faults (slow, truncated, mislabelled, HTML) happen here,
 * so every dialect gets them.
 */
final class ResultDelivery {

    static final String PREFIX = "/results/";
    /** {@code sample.png} is a task's first image, {@code sample-2.png} .. {@code sample-4.png} the rest of a batch. */
    private static final Pattern PATH =
            Pattern.compile("/results/([0-9a-f-]{36})(?:/[^/]+)?/sample(?:-([2-4]))?\\.(png|jpeg)");

    private final TaskBoard board;
    private final ImagePainter painter;
    private final URI base;
    private final byte[] secret = new byte[32];

    ResultDelivery(TaskBoard board, ImagePainter painter, URI base) {
        this.board = board;
        this.painter = painter;
        this.base = base;
        new SecureRandom().nextBytes(secret);
    }

    /** The URL a dialect hands out for a task that is Ready, at the origin {@code exchange} reached us at. */
    URI urlFor(HttpExchange exchange, SimulatedTask task) {
        return urlFor(exchange, task, 0);
    }

    /** The URL of image {@code index} (0-based) of a task's batch. */
    URI urlFor(HttpExchange exchange, SimulatedTask task, int index) {
        return urlFor(exchange, task, index, null);
    }

    /**
     * The URL of image {@code index}, with {@code pathSegment} (when not {@code null}) between the task and the file,
     * as {@link Fault#KEY_IN_RESULT_URL} puts the API key there; the segment is not part of the signature.
     */
    URI urlFor(HttpExchange exchange, SimulatedTask task, int index, String pathSegment) {
        Instant readyAt = task.endedAt() == null ? Instant.now() : task.endedAt();
        Instant expiry = task.script.has(Fault.EXPIRED_URL)
                ? readyAt.minusSeconds(1)
                : readyAt.plus(board.settings().resultUrlLifetime());
        long se = expiry.toEpochMilli();
        String name = index == 0 ? "sample" : "sample-" + (index + 1);
        String segment = pathSegment == null
                ? ""
                : "/" + URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
        return RequestOrigin.of(exchange, base)
                .resolve(PREFIX + task.id + segment + "/" + name + "." + task.format + "?se=" + se + "&sig="
                        + sign(task.id + (index == 0 ? "" : "#" + index), se));
    }

    void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Matcher path = PATH.matcher(exchange.getRequestURI().getPath());
            SimulatedTask task = path.matches() ? board.find(path.group(1)) : null;
            int index = path.matches() && path.group(2) != null ? Integer.parseInt(path.group(2)) - 1 : 0;
            if (!exchange.getRequestMethod().equals("GET")
                    || task == null
                    || task.state() != TaskState.READY
                    || !task.format.equals(path.group(3))
                    || index >= task.imageCount) {
                storageError(exchange, 404, "BlobNotFound", "The specified blob does not exist.");
                return;
            }
            task.countDownload();
            String query = exchange.getRequestURI().getRawQuery();
            Long se = queryLong(query, "se");
            String sig = queryValue(query, "sig");
            if (se == null || sig == null || !sig.equals(sign(task.id + (index == 0 ? "" : "#" + index), se))) {
                storageError(exchange, 403, "AuthenticationFailed", "Signature did not match.");
                return;
            }
            if (Instant.now().toEpochMilli() > se) {
                if (task.script.has(Fault.EXPIRED_URL)) {
                    board.applied(task.dialect, Fault.EXPIRED_URL);
                }
                storageError(exchange, 403, "AuthenticationFailed", "Signed expiry time has passed.");
                return;
            }
            byte[] image = task.image(painter, board.settings().imagePaddingBytes(), index);
            String type = task.format.equals("png") ? "image/png" : "image/jpeg";
            if (task.script.has(Fault.HTML_RESULT)) {
                board.applied(task.dialect, Fault.HTML_RESULT);
                Reply.text(
                        exchange,
                        200,
                        "text/html; charset=utf-8",
                        "<!DOCTYPE html><html><head><title>Sign in</title></head><body><h1>Please sign in</h1></body></html>");
            } else if (task.script.has(Fault.WRONG_CONTENT_TYPE)) {
                board.applied(task.dialect, Fault.WRONG_CONTENT_TYPE);
                Reply.bytes(exchange, 200, "text/plain", image);
            } else if (task.script.has(Fault.TRUNCATED_BODY)) {
                board.applied(task.dialect, Fault.TRUNCATED_BODY);
                exchange.getResponseHeaders().set("Content-Type", type);
                exchange.sendResponseHeaders(200, image.length);
                OutputStream out = exchange.getResponseBody();
                out.write(image, 0, image.length / 2);
                out.flush();
                Reply.hangUp(exchange, "truncated body");
            } else if (task.script.has(Fault.SLOW_BODY)) {
                board.applied(task.dialect, Fault.SLOW_BODY);
                trickle(exchange, type, image, task.script.slowBody());
            } else {
                Reply.bytes(exchange, 200, type, image);
            }
        }
    }

    private static void trickle(HttpExchange exchange, String type, byte[] image, Duration over) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(200, image.length);
        int pieces = 20;
        int piece = (image.length + pieces - 1) / pieces;
        long pause = over.toMillis() / pieces;
        try (OutputStream out = exchange.getResponseBody()) {
            for (int offset = 0; offset < image.length; offset += piece) {
                out.write(image, offset, Math.min(piece, image.length - offset));
                out.flush();
                Thread.sleep(pause);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while trickling", e);
        }
    }

    private static void storageError(HttpExchange exchange, int status, String code, String message)
            throws IOException {
        Reply.text(
                exchange,
                status,
                "application/xml",
                "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>" + code + "</Code><Message>" + message
                        + "</Message></Error>");
    }

    private String sign(String taskId, long se) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((taskId + "|" + se).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is always present", e);
        }
    }

    static String queryValue(String rawQuery, String name) {
        if (rawQuery == null) {
            return null;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static Long queryLong(String rawQuery, String name) {
        try {
            String v = queryValue(rawQuery, name);
            return v == null ? null : Long.parseLong(v);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
