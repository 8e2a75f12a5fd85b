package io.jenkins.plugins.fluxkontext.core.throttle;

import io.jenkins.plugins.fluxkontext.core.provider.ApiKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Identifies a provider and API key without holding the key: an HMAC-SHA256 of both under a secret drawn when the
 * throttle is made. A plain hash of a key could be matched against a leaked key list; a keyed one means nothing
 * outside this JVM.
 */
record ThrottleKey(String provider, String digest) {

    static final class Minter {
        private static final SecureRandom SECRETS = new SecureRandom();
        private final byte[] secret = new byte[32];

        Minter() {
            SECRETS.nextBytes(secret);
        }

        ThrottleKey mint(String provider, ApiKey key) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(secret, "HmacSHA256"));
                mac.update(provider.getBytes(StandardCharsets.UTF_8));
                // A separator that no provider id contains, so ("ab", "c...") and ("a", "bc...") differ.
                mac.update((byte) 0);
                mac.update(key.reveal().getBytes(StandardCharsets.UTF_8));
                return new ThrottleKey(provider, HexFormat.of().formatHex(mac.doFinal()));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
            }
        }
    }

    /** Eight hex digits, enough to tell a controller's few keys apart on a status page. */
    String fingerprint() {
        return digest.substring(0, 8);
    }

    @Override
    public String toString() {
        return provider + " key " + fingerprint();
    }
}
