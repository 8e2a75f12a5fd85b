package io.jenkins.plugins.fluxkontext.core.provider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import okhttp3.Headers;

/**
 * Reading the JSON answers of provider APIs the way every dialect needs it: an object or a
 * {@link MalformedReplyException}, optional fields as {@code null}, error texts from the usual places, everything
 * shortened for a build log. The texts are the server's and still need the engine's scrubbing.
 */
public final class ReplyJson {

    public static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_TEXT_LENGTH = 500;

    private ReplyJson() {}

    /** The answer as a JSON object. */
    public static JsonNode object(ProviderReply reply, String taskId) throws MalformedReplyException {
        try {
            JsonNode json = JSON.readTree(reply.body() == null ? "" : reply.body());
            if (json == null || !json.isObject()) {
                throw new MalformedReplyException("the answer is not a JSON object: " + preview(reply.body()), taskId);
            }
            return json;
        } catch (JsonProcessingException e) {
            throw new MalformedReplyException("the answer is not JSON: " + preview(reply.body()), taskId);
        }
    }

    /** {@code text} (a stream event's data, say) as a JSON object. */
    public static JsonNode object(String text, String taskId) throws MalformedReplyException {
        return object(new ProviderReply(200, Headers.of(), text), taskId);
    }

    /** The answer as JSON, or {@code null} when it is not JSON. */
    public static JsonNode lenient(ProviderReply reply) {
        try {
            return reply.body() == null || reply.body().isBlank() ? null : JSON.readTree(reply.body());
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** {@code json.field} as text, or {@code null} when it is missing or null. */
    public static String text(JsonNode json, String field) {
        JsonNode node = json == null ? null : json.get(field);
        return node == null || node.isNull() ? null : node.asText();
    }

    /** {@code json.a.b…} as text, or {@code null}. */
    public static String text(JsonNode json, String... path) {
        JsonNode node = json;
        for (String field : path) {
            node = node == null ? null : node.get(field);
        }
        return node == null || node.isNull() || node.isContainerNode() ? null : node.asText();
    }

    /** An integer percentage from 0 to 100, reading fractions up to 1.0 as 0-1; {@code null} when absent. */
    public static Integer percent(JsonNode progress) {
        if (progress == null || !progress.isNumber()) {
            return null;
        }
        double value = progress.asDouble();
        if (progress.isFloatingPointNumber() && value <= 1.0) {
            value *= 100;
        }
        return (int) Math.max(0, Math.min(100, Math.round(value)));
    }

    /**
     * The error text of an answer: FastAPI's {@code detail[].msg} (with the field; BFL's 422), else
     * {@code error.message}, {@code detail}, {@code message}, {@code error} (text), {@code failure_message}; else the
     * body's start. {@code message} comes before a plain {@code error}, which is often only a code
     * ({@code {"error":"rate_limit_exceeded","message":"…"}}).
     */
    public static String errorText(ProviderReply reply) {
        JsonNode json = lenient(reply);
        if (json == null || !json.isObject()) {
            return reply.body() == null || reply.body().isBlank() ? null : preview(reply.body());
        }
        return errorText(json);
    }

    /** {@link #errorText(ProviderReply)} of an object already read. */
    public static String errorText(JsonNode json) {
        JsonNode detail = json.get("detail");
        if (detail != null && detail.isArray()) {
            List<String> messages = new ArrayList<>();
            for (JsonNode d : detail) {
                String msg = text(d, "msg");
                JsonNode loc = d.get("loc");
                String field = loc != null && loc.isArray() && !loc.isEmpty()
                        ? loc.get(loc.size() - 1).asText()
                        : null;
                if (msg != null) {
                    messages.add(field == null ? msg : field + ": " + msg);
                }
            }
            if (!messages.isEmpty()) {
                return shorten(String.join("; ", messages));
            }
        }
        JsonNode error = json.get("error");
        if (error != null && error.isObject()) {
            String code = text(error, "code");
            String message = text(error, "message");
            if (message != null) {
                return shorten(code == null ? message : code + ": " + message);
            }
        }
        for (String name : List.of("detail", "message", "error", "failure_message")) {
            JsonNode node = json.get(name);
            if (node != null
                    && !node.isNull()
                    && !(node.isTextual() && node.asText().isBlank())) {
                return shorten(node.isTextual() ? node.asText() : node.toString());
            }
        }
        return null;
    }

    /** The start of a body that is not what we expected, for the log: enough to recognise an HTML error page. */
    public static String preview(String body) {
        if (body == null || body.isBlank()) {
            return "(empty)";
        }
        return "\"" + shorten(body.strip().replaceAll("\\s+", " ")) + "\"";
    }

    public static String shorten(String s) {
        return s == null || s.length() <= MAX_TEXT_LENGTH ? s : s.substring(0, MAX_TEXT_LENGTH) + "…";
    }
}
