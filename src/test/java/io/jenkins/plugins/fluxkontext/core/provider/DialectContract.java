package io.jenkins.plugins.fluxkontext.core.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.fluxkontext.core.task.TaskHandle;
import java.io.IOException;
import java.time.Instant;
import okhttp3.Headers;
import okhttp3.Request;
import okio.Buffer;

/** Small helpers for reading a dialect's requests and feeding it answers without a network. */
public final class DialectContract {

    public static final ApiKey KEY = ApiKey.of("contract-SECRET-key");

    private DialectContract() {}

    public static ProviderReply reply(int code, String body) {
        return new ProviderReply(code, Headers.of(), body);
    }

    public static ProviderReply reply(int code, String body, String header, String value) {
        return new ProviderReply(code, Headers.of(header, value), body);
    }

    public static String bodyText(Request request) throws IOException {
        Buffer buffer = new Buffer();
        request.body().writeTo(buffer);
        return buffer.readUtf8();
    }

    public static JsonNode json(Request request) throws IOException {
        return new ObjectMapper().readTree(bodyText(request));
    }

    public static TaskHandle handle(String provider, String id, String pollingUrl) {
        return new TaskHandle(provider, id, pollingUrl, null, null, 1, 1, Instant.EPOCH);
    }
}
