package io.jenkins.plugins.fluxkontext.core.faults;

import io.jenkins.plugins.fluxkontext.core.TestImages;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
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
 * BFL's wire on loopback, scripted per story: {@code POST /v1/flux-kontext-max} creates {@code task-1}, … ; status
 * answers come from a function of task id and poll number; images live under {@code /delivery/} behind a signed
 * query. Scripted submit and download answers are used once each, in order; then the defaults apply (accept, Ready,
 * a real PNG).
 */
final class ScriptedBfl extends Dispatcher {

    static final byte[] PNG = TestImages.png(16, 12);
    static final String SIGNATURE = "SECRETSIG-4f1d";

    private final MockWebServer server;
    private final List<RecordedRequest> requests = new ArrayList<>();
    private final Deque<MockResponse> submits = new ArrayDeque<>();
    private final Deque<MockResponse> downloads = new ArrayDeque<>();
    private final Map<String, AtomicInteger> pollsByTask = new ConcurrentHashMap<>();
    private final AtomicInteger created = new AtomicInteger();
    private volatile BiFunction<String, Integer, MockResponse> polls = (id, n) -> ready(id);

    ScriptedBfl(MockWebServer server) {
        this.server = server;
        server.setDispatcher(this);
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        synchronized (this) {
            requests.add(request);
        }
        String path = request.getUrl().encodedPath();
        if (request.getMethod().equals("POST") && path.startsWith("/v1/flux-kontext-")) {
            synchronized (this) {
                MockResponse scripted = submits.poll();
                if (scripted != null) {
                    return scripted;
                }
            }
            return accepted("task-" + created.incrementAndGet());
        }
        if (request.getMethod().equals("GET") && path.equals("/v1/get_result")) {
            String id = request.getUrl().queryParameter("id");
            return polls.apply(id, pollsByTask.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet());
        }
        if (request.getMethod().equals("GET") && path.startsWith("/delivery/")) {
            synchronized (this) {
                MockResponse scripted = downloads.poll();
                if (scripted != null) {
                    return scripted;
                }
            }
            return image(PNG);
        }
        return json(404, "{\"detail\":\"Not Found\"}");
    }

    // ---- scripting ----------------------------------------------------------------------------------------

    ScriptedBfl onSubmit(MockResponse... answers) {
        synchronized (this) {
            submits.addAll(List.of(answers));
        }
        return this;
    }

    /** Status answers computed per task and poll number (from 1). */
    ScriptedBfl onPoll(BiFunction<String, Integer, MockResponse> answers) {
        this.polls = answers;
        return this;
    }

    ScriptedBfl onDownload(MockResponse... answers) {
        synchronized (this) {
            downloads.addAll(List.of(answers));
        }
        return this;
    }

    // ---- answers ------------------------------------------------------------------------------------------

    MockResponse accepted(String id) {
        return json(200, "{\"id\":\"" + id + "\",\"polling_url\":\"" + server.url("/v1/get_result?id=" + id)
                + "\",\"cost\":8}");
    }

    static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json").body(body).build();
    }

    static MockResponse pending() {
        return json(200, "{\"status\":\"Pending\",\"result\":null,\"progress\":0.4}");
    }

    MockResponse ready(String id) {
        return readyAt(id, imageUrl(id));
    }

    static MockResponse readyAt(String id, String sample) {
        return json(200, "{\"id\":\"" + id + "\",\"status\":\"Ready\",\"result\":{\"sample\":\"" + sample
                + "\",\"seed\":5},\"progress\":1.0}");
    }

    /** Where the signed image of {@code id} lives: the query string is its credential. */
    String imageUrl(String id) {
        return server.url("/delivery/" + id + "/sample.png") + "?se=1767000000&sig=" + SIGNATURE;
    }

    static MockResponse image(byte[] bytes) {
        return new MockResponse.Builder().setHeader("Content-Type", "image/png").body(new Buffer().write(bytes)).build();
    }

    // ---- what the server saw ------------------------------------------------------------------------------

    synchronized List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    private long count(String method, String pathPrefix) {
        return requests().stream()
                .filter(r -> r.getMethod().equals(method) && r.getUrl().encodedPath().startsWith(pathPrefix))
                .count();
    }

    long submits() {
        return count("POST", "/v1/");
    }

    long polls() {
        return count("GET", "/v1/get_result");
    }

    long downloads() {
        return count("GET", "/delivery/");
    }
}
