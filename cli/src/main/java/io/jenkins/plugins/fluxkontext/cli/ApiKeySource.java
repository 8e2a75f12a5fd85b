package io.jenkins.plugins.fluxkontext.cli;

import io.jenkins.plugins.fluxkontext.core.provider.ApiKey;
import io.jenkins.plugins.fluxkontext.simulator.FluxKontextSimulator;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
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

    private ApiKeySource() {}

    static ApiKey resolve(Map<String, String> env, Path keyFile, URI baseUrl) throws UsageException {
        if (keyFile != null) {
            String text;
            try {
                text = Files.readString(keyFile, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UsageException("--api-key-file " + keyFile + " cannot be read ("
                        + e.getClass().getSimpleName() + ")");
            }
            if (text.isBlank()) {
                throw new UsageException("--api-key-file " + keyFile + " is empty");
            }
            return ApiKey.of(text);
        }
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return ApiKey.of(fromEnv);
        }
        if (isLoopback(baseUrl)) {
            return ApiKey.of(FluxKontextSimulator.DEMO_KEY);
        }
        throw new UsageException("no API key: set " + ENV + " or pass --api-key-file FILE (or run 'flux-kontext demo', "
                + "which needs none)");
    }

    /** {@code localhost}, {@code 127.x}, {@code ::1}: a server on this machine, such as {@code flux-kontext simulate}. */
    static boolean isLoopback(URI url) {
        if (url == null || url.getHost() == null) {
            return false;
        }
        String host = url.getHost();
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        // Only literal addresses are checked: a name is never resolved just to decide about the key.
        if (!host.matches("[0-9.]+") && !host.startsWith("[")) {
            return false;
        }
        try {
            return InetAddress.getByName(host.replace("[", "").replace("]", "")).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
