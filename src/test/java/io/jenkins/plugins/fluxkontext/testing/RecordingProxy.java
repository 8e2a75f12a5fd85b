package io.jenkins.plugins.fluxkontext.testing;

import java.io.IOException;
import java.net.Proxy;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Credentials;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.Buffer;

/**
 * A company HTTP proxy on loopback that relays plain-http requests to where they are addressed and records each
 * request line: a client that uses it sends the absolute form ({@code GET http://host:port/path HTTP/1.1}). It may
 * demand Basic credentials ({@code 407} until given), and, like a real proxy, never relays them.
 */
public final class RecordingProxy implements AutoCloseable {

    private static final Set<String> NOT_RELAYED = Set.of(
            "proxy-authorization",
            "proxy-connection",
            "connection",
            "host",
            "content-length",
            "transfer-encoding",
            "keep-alive");

    private final MockWebServer server = new MockWebServer();
    private final OkHttpClient direct = new OkHttpClient.Builder()
            .proxy(Proxy.NO_PROXY)
            .followRedirects(false)
            .build();
    public final List<String> requestLines = new CopyOnWriteArrayList<>();
    private volatile String requiredAuthorization;

    public RecordingProxy() throws IOException {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                requestLines.add(request.getRequestLine());
                if (requiredAuthorization != null
                        && !requiredAuthorization.equals(request.getHeaders().get("Proxy-Authorization"))) {
                    return new MockResponse.Builder()
                            .code(407)
                            .addHeader("Proxy-Authenticate", "Basic realm=\"corp\"")
                            .build();
                }
                if (!request.getTarget().startsWith("http://")) {
                    return new MockResponse.Builder()
                            .code(400)
                            .body("not a proxy request")
                            .build();
                }
                return relay(request);
            }
        });
        server.start();
    }

    public RecordingProxy requireCredentials(String user, String password) {
        requiredAuthorization = Credentials.basic(user, password);
        return this;
    }

    public String host() {
        return server.getHostName();
    }

    public int port() {
        return server.getPort();
    }

    private MockResponse relay(RecordedRequest request) {
        Request.Builder out = new Request.Builder().url(request.getTarget());
        request.getHeaders().forEach(h -> {
            if (!NOT_RELAYED.contains(h.getFirst().toLowerCase(java.util.Locale.ROOT))) {
                out.addHeader(h.getFirst(), h.getSecond());
            }
        });
        String type = request.getHeaders().get("Content-Type");
        RequestBody body = request.getBody() == null || request.getMethod().equals("GET")
                ? null
                : RequestBody.create(request.getBody().toByteArray(), type == null ? null : MediaType.parse(type));
        out.method(request.getMethod(), body);
        try (Response answer = direct.newCall(out.build()).execute()) {
            MockResponse.Builder back = new MockResponse.Builder().code(answer.code());
            answer.headers().forEach(h -> {
                if (!NOT_RELAYED.contains(h.getFirst().toLowerCase(java.util.Locale.ROOT))) {
                    back.addHeader(h.getFirst(), h.getSecond());
                }
            });
            return back.body(new Buffer().write(answer.body().bytes())).build();
        } catch (IOException e) {
            return new MockResponse.Builder()
                    .code(502)
                    .body("relay failed: " + e.getMessage())
                    .build();
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
