package io.jenkins.plugins.fluxkontext.core.engine;

import io.jenkins.plugins.fluxkontext.core.TestImages;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;

/**
 * Black Forest Labs as far as the engine can tell, on loopback: {@code POST /v1/flux-kontext-max} creates
 * {@code task-1}, {@code task-2}, …; {@code GET /v1/get_result?id=} answers from a script; the signed image lives
 * under {@code /delivery/}. Scripted answers are used once each, in order, after which the defaults apply (accept the
 * submit, report Ready, serve a real PNG). It also counts the tasks it considers running, the way BFL's active-task
 * limit does.
 */
final class FakeBfl extends Dispatcher {

    static final byte[] PNG = TestImages.png(8, 6);

    private final MockWebServer server;
    private final List<RecordedRequest> requests = new ArrayList<>();
    private final Deque<MockResponse> submits = new ArrayDeque<>();
    private final Deque<MockResponse> downloads = new ArrayDeque<>();
    private final Map<String, AtomicInteger> pollsByTask = new ConcurrentHashMap<>();
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final AtomicInteger maxRunning = new AtomicInteger();
    private final AtomicInteger created = new AtomicInteger();
    private volatile BiFunction<String, Integer, MockResponse> polls = (id, n) -> ready(id);

    FakeBfl(MockWebServer server) {
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
            MockResponse scripted;
            synchronized (this) {
                scripted = submits.poll();
            }
            if (scripted != null) {
                return scripted;
            }
            String id = "task-" + created.incrementAndGet();
            running.add(id);
            maxRunning.accumulateAndGet(running.size(), Math::max);
            return json(200, "{\"id\":\"" + id + "\",\"polling_url\":\"" + server.url("/v1/get_result?id=" + id)
                    + "\",\"cost\":8}");
        }
        if (request.getMethod().equals("GET") && path.equals("/v1/get_result")) {
            String id = request.getUrl().queryParameter("id");
            int n = pollsByTask.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            MockResponse answer = polls.apply(id, n);
            String body = answer.getBody() == null ? "" : bodyText(answer);
            if (!body.contains("\"Pending\"") && answer.getCode() == 200) {
                running.remove(id);
            }
            return answer;
        }
        if (request.getMethod().equals("GET") && path.startsWith("/delivery/")) {
            MockResponse scripted;
            synchronized (this) {
                scripted = downloads.poll();
            }
            return scripted != null ? scripted : image(PNG);
        }
        return json(404, "{\"detail\":\"Not Found\"}");
    }

    private static String bodyText(MockResponse answer) {
        Buffer buffer = new Buffer();
        try {
            answer.getBody().writeTo(buffer);
        } catch (java.io.IOException e) {
            return "";
        }
        return buffer.readUtf8();
    }

    // ---- scripting ----------------------------------------------------------------------------------------

    FakeBfl onSubmit(MockResponse... answers) {
        synchronized (this) {
            submits.addAll(List.of(answers));
        }
        return this;
    }

    /** Every task answers its n-th status request with {@code answers[n-1]}, and with the last one after that. */
    FakeBfl onPoll(MockResponse... answers) {
        this.polls = (id, n) -> answers[Math.min(n, answers.length) - 1];
        return this;
    }

    /** Status answers computed per task and poll number (from 1). */
    FakeBfl onPoll(BiFunction<String, Integer, MockResponse> answers) {
        this.polls = answers;
        return this;
    }

    FakeBfl onDownload(MockResponse... answers) {
        synchronized (this) {
            downloads.addAll(List.of(answers));
        }
        return this;
    }

    // ---- answers ------------------------------------------------------------------------------------------

    static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json").body(body).build();
    }

    static MockResponse status(String status) {
        return json(200, "{\"id\":\"x\",\"status\":\"" + status + "\",\"result\":null}");
    }

    static MockResponse pending(double progress) {
        return json(200, "{\"id\":\"x\",\"status\":\"Pending\",\"result\":null,\"progress\":" + progress + "}");
    }

    MockResponse ready(String id) {
        return json(200, "{\"id\":\"" + id + "\",\"status\":\"Ready\",\"result\":{\"sample\":\"" + imageUrl(id)
                + "\",\"seed\":777,\"prompt\":\"p\"},\"progress\":null}");
    }

    /** Where the signed image of {@code id} lives: the query string is its signature. */
    String imageUrl(String id) {
        return server.url("/delivery/" + id + "/sample.png") + "?se=2026-01-15T10%3A10%3A00Z&sig=SIGNATURE123";
    }

    static MockResponse image(byte[] bytes) {
        return new MockResponse.Builder().setHeader("Content-Type", "image/png").body(new Buffer().write(bytes)).build();
    }

    // ---- what the server saw ------------------------------------------------------------------------------

    synchronized List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    long count(String method, String pathPrefix) {
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

    /** The most tasks this server had running at once. */
    int maxRunning() {
        return maxRunning.get();
    }

    int running() {
        return running.size();
    }

    /** Tasks created so far. */
    int created() {
        return created.get();
    }
}
