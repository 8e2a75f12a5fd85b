package io.jenkins.plugins.fluxkontext.core.engine;

import io.jenkins.plugins.fluxkontext.core.TestImages;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;

/**
 * Any gateway's API on loopback, scripted per route: a method and a path prefix answer from a function of the request
 * and how often that route was asked (from 1). The longest matching prefix wins; anything unrouted is a 404. Signed
 * images live under {@code /files/} and are served as real PNGs unless scripted otherwise.
 */
final class FakeGateway extends Dispatcher {

    static final byte[] PNG = TestImages.png(8, 6);

    private record Route(
            String method,
            String prefix,
            BiFunction<RecordedRequest, Integer, MockResponse> answer,
            AtomicInteger calls) {}

    private final MockWebServer server;
    private final List<RecordedRequest> requests = new ArrayList<>();
    private final List<Route> routes = new ArrayList<>();
    private final Map<String, AtomicInteger> idCounter = new ConcurrentHashMap<>();

    FakeGateway(MockWebServer server) {
        this.server = server;
        server.setDispatcher(this);
        on("GET", "/files/", (r, n) -> image(PNG));
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        Route best = null;
        synchronized (this) {
            requests.add(request);
            String path = request.getUrl().encodedPath();
            for (Route route : routes) {
                if (route.method.equals(request.getMethod())
                        && path.startsWith(route.prefix)
                        && (best == null || route.prefix.length() >= best.prefix.length())) {
                    best = route;
                }
            }
        }
        if (best == null) {
            return json(404, "{\"detail\":\"Not Found\"}");
        }
        return best.answer.apply(request, best.calls.incrementAndGet());
    }

    /** Answers {@code method path…} with {@code answers[n-1]} on the n-th call, and with the last one after that. */
    FakeGateway on(String method, String prefix, MockResponse... answers) {
        return on(method, prefix, (r, n) -> answers[Math.min(n, answers.length) - 1]);
    }

    synchronized FakeGateway on(
            String method, String prefix, BiFunction<RecordedRequest, Integer, MockResponse> answer) {
        routes.add(new Route(method, prefix, answer, new AtomicInteger()));
        return this;
    }

    /** {@code prefix} plus a running number: {@code task-1}, {@code task-2}, … */
    String nextId(String prefix) {
        return prefix
                + idCounter.computeIfAbsent(prefix, k -> new AtomicInteger()).incrementAndGet();
    }

    /** An absolute URL on this server. */
    String url(String path) {
        return server.url(path).toString();
    }

    /** A signed image URL on this server; the query string is its signature. */
    String imageUrl(String name) {
        return url("/files/" + name) + "?sig=SIGNATURE123";
    }

    static MockResponse json(int code, String body) {
        return new MockResponse.Builder()
                .code(code)
                .setHeader("Content-Type", "application/json")
                .body(body)
                .build();
    }

    static MockResponse image(byte[] bytes) {
        return new MockResponse.Builder()
                .setHeader("Content-Type", "image/png")
                .body(new Buffer().write(bytes))
                .build();
    }

    synchronized List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    long count(String method, String prefix) {
        return requests().stream()
                .filter(r ->
                        r.getMethod().equals(method) && r.getUrl().encodedPath().startsWith(prefix))
                .count();
    }

    List<RecordedRequest> requests(String method, String prefix) {
        return requests().stream()
                .filter(r ->
                        r.getMethod().equals(method) && r.getUrl().encodedPath().startsWith(prefix))
                .toList();
    }
}
