package io.jenkins.plugins.fluxkontext.core.provider;

import okhttp3.Request;

/**
 * How a provider wants the API key sent: the header, and what goes before the key in it ({@code x-key: KEY} at BFL,
 * {@code Authorization: Key KEY} at fal, {@code Authorization: Bearer KEY} at the others).
 */
public record KeyHeader(String name, String prefix) {

    /** {@code Authorization: Bearer KEY}. */
    public static final KeyHeader BEARER = new KeyHeader("Authorization", "Bearer ");

    /** {@code request} with the key in this header. */
    public Request.Builder on(Request.Builder request, ApiKey key) {
        return request.header(name, prefix + key.reveal());
    }
}
