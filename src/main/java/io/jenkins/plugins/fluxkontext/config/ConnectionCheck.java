package io.jenkins.plugins.fluxkontext.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.fluxkontext.core.provider.ApiKey;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderEndpoint;
import io.jenkins.plugins.fluxkontext.core.proxy.ProxySettings;
import java.io.IOException;
import java.time.Duration;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * "Test connection": one cheap, authenticated read that proves the key and the address work, and never creates a
 * task (so it costs nothing). For BFL that is {@code GET /v1/credits}, which answers with the account's credits.
 * Other providers have no such call wired yet and say so without sending anything.
 */
final class ConnectionCheck {

    /** A form button: a person is waiting, so fail fast. */
    static final Duration TIMEOUT = Duration.ofSeconds(15);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final OkHttpClient client;
    /** The proxy the check goes through, for messages (never its password); {@code null}: none given. */
    private final ProxySettings proxy;

    ConnectionCheck(OkHttpClient client) {
        this(client, null);
    }

    private ConnectionCheck(OkHttpClient client, ProxySettings proxy) {
        this.client =
                client.newBuilder().callTimeout(TIMEOUT).followRedirects(false).build();
        this.proxy = proxy;
    }

    /**
     * @param proxy the controller's HTTP proxy, the one builds use; {@code null}: the controller JVM's own settings
     */
    ConnectionCheck(ProxySettings proxy) {
        this(
                proxy == null
                        ? new OkHttpClient()
                        : proxy.applyTo(new OkHttpClient.Builder()).build(),
                proxy);
    }

    /** What a person sees after pressing the button. */
    record Outcome(boolean ok, String message) {}

    Outcome check(ProviderEndpoint endpoint, ApiKey key) {
        String provider = endpoint.dialect().id();
        if (!provider.equals("bfl")) {
            return new Outcome(
                    false,
                    "Testing the connection is not supported for "
                            + endpoint.dialect().displayName()
                            + " yet; nothing was sent. Run a build with count: 1 to try the key.");
        }
        String where = endpoint.base().scheme() + "://" + endpoint.base().host()
                + (endpoint.base().port()
                                == okhttp3.HttpUrl.defaultPort(endpoint.base().scheme())
                        ? ""
                        : ":" + endpoint.base().port());
        Request request = new Request.Builder()
                .url(endpoint.resolve("/v1/credits"))
                .header("x-key", key.reveal())
                .header("Accept", "application/json")
                .get()
                .build();
        try (Response response = client.newCall(request).execute()) {
            int code = response.code();
            if (code == 401 || code == 403) {
                return new Outcome(
                        false,
                        endpoint.dialect().displayName() + " at " + where + " refused the key (HTTP " + code
                                + "). Check that the credential holds a current API key for this region.");
            }
            if (code == 407) {
                return new Outcome(
                        false,
                        "The proxy " + (proxy == null ? "" : proxy + " ") + "refused the connection"
                                + " to " + where + " (HTTP 407). Check the proxy's user name and password in "
                                + ControllerProxy.WHERE + ".");
            }
            if (code != 200) {
                return new Outcome(
                        false,
                        endpoint.dialect().displayName() + " at " + where + " answered HTTP " + code
                                + " to GET /v1/credits.");
            }
            String credits = credits(response.body());
            return new Outcome(
                    true,
                    "Connected to " + endpoint.dialect().displayName() + " at " + where
                            + (credits == null ? "." : ": " + credits + " credits left."));
        } catch (IOException e) {
            // The exception text names host and cause only; scrub anyway, in case a proxy echoed a header.
            return new Outcome(
                    false,
                    "Could not reach " + where + (proxy == null ? "" : " through the proxy " + proxy)
                            + ": "
                            + key.scrub(String.valueOf(e.getMessage())));
        }
    }

    private static String credits(ResponseBody body) {
        try {
            JsonNode node = JSON.readTree(body.string()).get("credits");
            return node != null && node.isNumber()
                    ? node.decimalValue().stripTrailingZeros().toPlainString()
                    : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
