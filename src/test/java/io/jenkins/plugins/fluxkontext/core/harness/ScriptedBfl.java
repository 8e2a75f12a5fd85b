package io.jenkins.plugins.fluxkontext.core.harness;

import io.jenkins.plugins.fluxkontext.core.TestImages;
import java.io.IOException;
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
 * Black Forest Labs as far as the engine can tell, on loopback and scripted per story: {@code POST
 * /v1/flux-kontext-max} creates {@code task-1}, {@code task-2}, …; {@code GET /v1/get_result?id=} answers from a
 * function of task id and poll number; the image lives under {@code /delivery/} behind a signed query. Scripted submit
 * and download answers are used once each, in order, after which the defaults apply (accept the submit, report Ready,
 * serve a real PNG). It also counts the tasks it considers running, the way BFL's active-task limit does.
 */
public final class ScriptedBfl extends Dispatcher {

    public static final byte[] PNG = TestImages.png(8, 6);
    /** The signature in every result URL: a credential, so it must never reach a log or a file. */
    public static final String SIGNATURE = "SIGNATURE123";

    private final MockWebServer server;
    private final List<RecordedRequest> requests = new ArrayList<>();
    private final Deque<MockResponse> submits = new ArrayDeque<>();
    private final Deque<MockResponse> downloads = new ArrayDeque<>();
    private final Map<String, AtomicInteger> pollsByTask = new ConcurrentHashMap<>();
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final AtomicInteger maxRunning = new AtomicInteger();
    private final AtomicInteger created = new AtomicInteger();
    private volatile BiFunction<String, Integer, MockResponse> polls = (id, n) -> ready(id);

    public ScriptedBfl(MockWebServer server) {
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
            return json(
                    200,
                    "{\"id\":\"" + id + "\",\"polling_url\":\"" + server.url("/v1/get_result?id=" + id)
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
        } catch (IOException e) {
            return "";
        }
        return buffer.readUtf8();
    }

    // ---- scripting ----------------------------------------------------------------------------------------

    public ScriptedBfl onSubmit(MockResponse... answers) {
        synchronized (this) {
            submits.addAll(List.of(answers));
        }
        return this;
    }

    /** Every task answers its n-th status request with {@code answers[n-1]}, and with the last one after that. */
    public ScriptedBfl onPoll(MockResponse... answers) {
        this.polls = (id, n) -> answers[Math.min(n, answers.length) - 1];
        return this;
    }

    /** Status answers computed per task and poll number (from 1). */
    public ScriptedBfl onPoll(BiFunction<String, Integer, MockResponse> answers) {
        this.polls = answers;
        return this;
    }

    public ScriptedBfl onDownload(MockResponse... answers) {
        synchronized (this) {
            downloads.addAll(List.of(answers));
        }
        return this;
    }

    // ---- answers ------------------------------------------------------------------------------------------

    public static MockResponse json(int code, String body) {
        return new MockResponse.Builder()
                .code(code)
                .setHeader("Content-Type", "application/json")
                .body(body)
                .build();
    }

    public static MockResponse status(String status) {
        return json(200, "{\"id\":\"x\",\"status\":\"" + status + "\",\"result\":null}");
    }

    public static MockResponse pending(double progress) {
        return json(200, "{\"id\":\"x\",\"status\":\"Pending\",\"result\":null,\"progress\":" + progress + "}");
    }

    /** Ready, with the image at its signed URL here. */
    public MockResponse ready(String id) {
        return readyAt(id, imageUrl(id));
    }

    /** Ready, with the image at {@code sample}: wherever a story wants the engine to fetch it from. */
    public static MockResponse readyAt(String id, String sample) {
        return json(
                200,
                "{\"id\":\"" + id + "\",\"status\":\"Ready\",\"result\":{\"sample\":\"" + sample
                        + "\",\"seed\":777,\"prompt\":\"p\"},\"progress\":null}");
    }

    /** Where the signed image of {@code id} lives: the query string is its credential. */
    public String imageUrl(String id) {
        return server.url("/delivery/" + id + "/sample.png") + "?se=2026-01-15T10%3A10%3A00Z&sig=" + SIGNATURE;
    }

    public static MockResponse image(byte[] bytes) {
        return new MockResponse.Builder()
                .setHeader("Content-Type", "image/png")
                .body(new Buffer().write(bytes))
                .build();
    }

    // ---- what the server saw ------------------------------------------------------------------------------

    public synchronized List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    public long count(String method, String pathPrefix) {
        return requests().stream()
                .filter(r ->
                        r.getMethod().equals(method) && r.getUrl().encodedPath().startsWith(pathPrefix))
                .count();
    }

    public long submits() {
        return count("POST", "/v1/");
    }

    public long polls() {
        return count("GET", "/v1/get_result");
    }

    public long downloads() {
        return count("GET", "/delivery/");
    }

    /** The most tasks this server had running at once. */
    public int maxRunning() {
        return maxRunning.get();
    }

    public int running() {
        return running.size();
    }

    /** Tasks created so far. */
    public int created() {
        return created.get();
    }
}
