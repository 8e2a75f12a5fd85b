package io.jenkins.plugins.fluxkontext.core.provider;

import okhttp3.Headers;

/**
 * An HTTP answer from a provider's API, read in full (JSON answers are small). Its body is the server's text and may
 * echo anything we sent; scrub it before showing it.
 */
public record ProviderReply(int code, Headers headers, String body) {

    public boolean isSuccessful() {
        return code >= 200 && code < 300;
    }

    public String header(String name) {
        return headers.get(name);
    }
}
