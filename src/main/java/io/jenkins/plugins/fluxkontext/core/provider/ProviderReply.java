package io.jenkins.plugins.fluxkontext.core.provider;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import okhttp3.Headers;
import okhttp3.Response;

/**
 * An HTTP answer from a provider's API, read in full (JSON answers are small). Its body is the server's text and may
 * echo anything we sent; scrub it before showing it.
 */
public record ProviderReply(int code, Headers headers, String body) {

    /**
     * The header with which the provider simulator marks every answer it gives. It is believed only from a base URL on
     * loopback ({@link ProviderEndpoint#isLoopback()}), where the simulator runs: a remote server cannot make a billed
     * task look simulated.
     */
    public static final String SIMULATOR_HEADER = "X-Flux-Kontext-Simulator";

    /**
     * Reads {@code response}'s body, refusing one over {@code maxBytes}: a runaway answer must not fill the agent's
     * memory, and no answer we read is anywhere near that size.
     *
     * @throws MalformedReplyException when the body is larger
     */
    public static ProviderReply read(Response response, int maxBytes) throws IOException {
        byte[] body;
        try (InputStream in = response.body().byteStream()) {
            body = in.readNBytes(maxBytes + 1);
        }
        if (body.length > maxBytes) {
            throw new MalformedReplyException("the answer is larger than " + maxBytes + " bytes", null);
        }
        return new ProviderReply(response.code(), response.headers(), new String(body, StandardCharsets.UTF_8));
    }

    public boolean isSuccessful() {
        return code >= 200 && code < 300;
    }

    public String header(String name) {
        return headers.get(name);
    }

    /** Whether the answer carries the simulator's mark; see {@link #SIMULATOR_HEADER} for when to believe it. */
    public boolean fromSimulator() {
        return headers.get(SIMULATOR_HEADER) != null;
    }
}
