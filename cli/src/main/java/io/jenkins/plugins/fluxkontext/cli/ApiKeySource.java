package io.jenkins.plugins.fluxkontext.cli;

import io.jenkins.plugins.fluxkontext.core.provider.ApiKey;
import io.jenkins.plugins.fluxkontext.core.provider.BaseUrlRule;
import io.jenkins.plugins.fluxkontext.simulator.FluxKontextSimulator;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the API key comes from: the environment variable {@value #ENV}, or a file named with {@code --api-key-file}.
 * Never from a flag. A base URL on this machine (the simulator) needs no key. No message here contains the key.
 */
final class ApiKeySource {

    static final String ENV = "FLUX_KONTEXT_API_KEY";
    /** Far more than any provider's key; a file larger than this is not a key file (or never ends: /dev/zero). */
    static final int MAX_KEY_FILE_BYTES = 4096;

    private ApiKeySource() {}

    static ApiKey resolve(Map<String, String> env, Path keyFile, URI baseUrl) throws UsageException {
        if (keyFile != null) {
            String text = read(keyFile);
            if (text.isBlank()) {
                throw new UsageException("--api-key-file " + keyFile + " is empty");
            }
            return key(text, "--api-key-file " + keyFile);
        }
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return key(fromEnv, "$" + ENV);
        }
        if (BaseUrlRule.isThisMachine(baseUrl == null ? null : baseUrl.getHost())) {
            return ApiKey.of(FluxKontextSimulator.DEMO_KEY);
        }
        throw new UsageException("no API key: set " + ENV + " or pass --api-key-file FILE (or run 'flux-kontext demo', "
                + "which needs none)");
    }

    /** The file's text, read no further than a key file can go. */
    private static String read(Path keyFile) throws UsageException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(keyFile)) {
            bytes = in.readNBytes(MAX_KEY_FILE_BYTES + 1);
        } catch (IOException e) {
            throw new UsageException("--api-key-file " + keyFile + " cannot be read ("
                    + e.getClass().getSimpleName() + ")");
        }
        if (bytes.length > MAX_KEY_FILE_BYTES) {
            throw new UsageException("--api-key-file " + keyFile + " is larger than " + MAX_KEY_FILE_BYTES
                    + " bytes; it should hold the API key and nothing else");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The key, or the reason it cannot be one (never echoing it). */
    private static ApiKey key(String text, String source) throws UsageException {
        try {
            return ApiKey.of(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException(source + ": " + e.getMessage());
        }
    }

    /** {@code localhost}, {@code 127.x}, {@code ::1}: a server on this machine, such as {@code flux-kontext simulate}. */
    static boolean isLoopback(URI url) {
        return url != null && BaseUrlRule.isThisMachine(url.getHost());
    }
}
