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
        String name = endpoint.dialect().displayName();
        if (!provider.equals("bfl")) {
            return new Outcome(false, Messages.ConnectionCheck_NotSupported(name));
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
        // Numbers are passed as text: the message format would group their digits by the reader's locale.
        try (Response response = client.newCall(request).execute()) {
            int code = response.code();
            if (code == 401 || code == 403) {
                return new Outcome(false, Messages.ConnectionCheck_KeyRefused(name, where, String.valueOf(code)));
            }
            if (code == 407) {
                return new Outcome(
                        false,
                        proxy == null
                                ? Messages.ConnectionCheck_UnnamedProxyRefused(where, ControllerProxy.WHERE)
                                : Messages.ConnectionCheck_ProxyRefused(
                                        proxy.toString(), where, ControllerProxy.WHERE));
            }
            if (code != 200) {
                return new Outcome(false, Messages.ConnectionCheck_UnexpectedAnswer(name, where, String.valueOf(code)));
            }
            String credits = credits(response.body());
            return new Outcome(
                    true,
                    credits == null
                            ? Messages.ConnectionCheck_Connected(name, where)
                            : Messages.ConnectionCheck_ConnectedWithCredits(name, where, credits));
        } catch (IOException e) {
            // The exception text names host and cause only; scrub anyway, in case a proxy echoed a header.
            String cause = key.scrub(String.valueOf(e.getMessage()));
            return new Outcome(
                    false,
                    proxy == null
                            ? Messages.ConnectionCheck_Unreachable(where, cause)
                            : Messages.ConnectionCheck_UnreachableThroughProxy(where, proxy.toString(), cause));
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
