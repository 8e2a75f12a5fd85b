package io.jenkins.plugins.fluxkontext.core.engine;

import io.jenkins.plugins.fluxkontext.core.harness.ScriptedBfl;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Credentials;
import okio.Buffer;

/**
 * A company's HTTP proxy on loopback, with BFL behind it at {@link #BASE}, a name that does not resolve: a call can
 * only succeed by going through this proxy. OkHttp sends proxied plain-http requests in absolute form
 * ({@code GET http://api.bfl.example/... HTTP/1.1}), which is what the request lines show. It may demand Basic
 * credentials, answering {@code 407} until it gets them.
 */
final class CompanyProxy extends Dispatcher implements AutoCloseable {

    static final String BASE = "http://api.bfl.example";

    private final MockWebServer server = new MockWebServer();
    final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger created = new AtomicInteger();
    private volatile String requiredAuthorization;
    /** Where finished tasks say their image is; {@code null}: on the provider's own host, behind this proxy. */
    private volatile String imageUrl;

    CompanyProxy() throws IOException {
        server.setDispatcher(this);
        server.start();
    }

    /** From now on only requests carrying these credentials get through. */
    CompanyProxy requireCredentials(String user, String password) {
        requiredAuthorization = Credentials.basic(user, password);
        return this;
    }

    /** From now on finished tasks name {@code url} as their image. */
    CompanyProxy answerImagesAt(String url) {
        imageUrl = url;
        return this;
    }

    int port() {
        return server.getPort();
    }

    List<String> requestLines() {
        return requests.stream().map(RecordedRequest::getRequestLine).toList();
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        requests.add(request);
        if (requiredAuthorization != null
                && !requiredAuthorization.equals(request.getHeaders().get("Proxy-Authorization"))) {
            return new MockResponse.Builder()
                    .code(407)
                    .addHeader("Proxy-Authenticate", "Basic realm=\"corp\"")
                    .body("proxy authentication required")
                    .build();
        }
        if (!request.getTarget().startsWith(BASE + "/")) {
            return new MockResponse.Builder()
                    .code(502)
                    .body("no route to " + request.getTarget())
                    .build();
        }
        String path = request.getUrl().encodedPath();
        if (request.getMethod().equals("POST") && path.startsWith("/v1/flux-kontext-")) {
            String id = "task-" + created.incrementAndGet();
            return ScriptedBfl.json(
                    200, "{\"id\":\"" + id + "\",\"polling_url\":\"" + BASE + "/v1/get_result?id=" + id + "\"}");
        }
        if (path.equals("/v1/get_result")) {
            String id = request.getUrl().queryParameter("id");
            String sample = imageUrl != null ? imageUrl : BASE + "/delivery/" + id + ".png?sig=SIGNED";
            return ScriptedBfl.json(
                    200,
                    "{\"id\":\"" + id + "\",\"status\":\"Ready\",\"result\":{\"sample\":\"" + sample
                            + "\",\"seed\":5}}");
        }
        if (path.startsWith("/delivery/")) {
            return new MockResponse.Builder()
                    .addHeader("Content-Type", "image/png")
                    .body(new Buffer().write(ScriptedBfl.PNG))
                    .build();
        }
        return ScriptedBfl.json(404, "{\"detail\":\"Not Found\"}");
    }

    @Override
    public void close() {
        server.close();
    }
}
