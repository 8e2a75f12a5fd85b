package io.jenkins.plugins.fluxkontext.testing;

import io.jenkins.plugins.fluxkontext.parameters.StepSettings;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;

/**
 * A local server speaking the BFL API the way the step tests need it: submits answer with an id and a polling URL,
 * polls answer with the status the test chose, and results download as real PNG bytes. Keeps what was submitted,
 * every {@code x-key} it saw, and the polls of each task. {@link #hold()} keeps every task {@code Pending} until
 * {@link #release()}: what a restart, an abort or a lost agent in the middle of polling needs.
 */
public final class BflServer implements AutoCloseable {

    /** How every task of the current test ends; {@code EXPIRED}: BFL's answer once a result is gone. */
    public enum Ending {
        READY,
        ERROR,
        REQUEST_MODERATED,
        CONTENT_MODERATED,
        EXPIRED
    }

    private final MockWebServer server = new MockWebServer();
    private final AtomicInteger submits = new AtomicInteger();
    public final List<String> submitBodies = new CopyOnWriteArrayList<>();
    public final List<String> keysSeen = new CopyOnWriteArrayList<>();
    private volatile Ending ending = Ending.READY;
    private volatile boolean held;
    public final Map<String, AtomicInteger> polls = new ConcurrentHashMap<>();

    public BflServer() throws IOException {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String key = request.getHeaders().get("x-key");
                if (key != null) {
                    keysSeen.add(key);
                }
                String path = request.getUrl().encodedPath();
                if (request.getMethod().equals("POST") && path.equals("/v1/flux-kontext-max")) {
                    String id = "task-" + submits.incrementAndGet();
                    submitBodies.add(
                            request.getBody() == null ? "" : request.getBody().utf8());
                    return json("{\"id\":\"" + id + "\",\"polling_url\":\"" + url("/v1/get_result?id=" + id) + "\"}");
                }
                if (path.equals("/v1/get_result")) {
                    String id = request.getUrl().queryParameter("id");
                    polls.computeIfAbsent(id, i -> new AtomicInteger()).incrementAndGet();
                    if (held) {
                        return json("{\"id\":\"" + id + "\",\"status\":\"Pending\",\"result\":null,\"progress\":0.4}");
                    }
                    return json(
                            switch (ending) {
                                case READY ->
                                    "{\"id\":\"" + id + "\",\"status\":\"Ready\",\"result\":{\"sample\":\""
                                            + url("/delivery/" + id + ".png?se=2030&sig=SIGNED") + "\",\"seed\":1234}}";
                                case ERROR ->
                                    "{\"id\":\"" + id + "\",\"status\":\"Error\",\"result\":null,"
                                            + "\"details\":{\"error\":\"GPU worker crashed\"}}";
                                case REQUEST_MODERATED ->
                                    "{\"id\":\"" + id + "\",\"status\":\"Request Moderated\",\"result\":null}";
                                case CONTENT_MODERATED ->
                                    "{\"id\":\"" + id + "\",\"status\":\"Content Moderated\",\"result\":null}";
                                case EXPIRED -> "{\"id\":\"" + id + "\",\"status\":\"Task not found\",\"result\":null}";
                            });
                }
                if (path.startsWith("/delivery/")) {
                    return new MockResponse.Builder()
                            .code(200)
                            .addHeader("Content-Type", "image/png")
                            .body(new Buffer().write(TestPng.bytes(64, 48)))
                            .build();
                }
                return new MockResponse.Builder()
                        .code(404)
                        .body("{\"detail\":\"Not Found\"}")
                        .build();
            }
        });
        server.start();
    }

    public void endTasksWith(Ending ending) {
        this.ending = ending;
    }

    /** Every task stays {@code Pending} from now on, until {@link #release()}. */
    public void hold() {
        held = true;
    }

    /** Tasks end as {@link #endTasksWith} says. */
    public void release() {
        held = false;
    }

    /** Status requests for {@code taskId} so far. */
    public int pollsOf(String taskId) {
        AtomicInteger n = polls.get(taskId);
        return n == null ? 0 : n.get();
    }

    /** Status requests for all tasks so far. */
    public int pollCount() {
        return polls.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** The base URL to give the step. */
    public String baseUrl() {
        String url = server.url("/").toString();
        return url.substring(0, url.length() - 1);
    }

    /**
     * The settings of a generate step of {@code count} images against this server, as the agent job receives them:
     * the credential {@code flux-key}, two minutes, file names {@code flux-kontext-7-…}.
     */
    public StepSettings generateSettings(int count) {
        return StepSettings.generate("a red fox in the snow")
                .credentialsId("flux-key")
                .provider("bfl")
                .baseUrl(baseUrl())
                .count(count)
                .timeoutSeconds(120)
                .filePrefix("flux-kontext-7");
    }

    public int submitCount() {
        return submits.get();
    }

    public int requestCount() {
        return server.getRequestCount();
    }

    private String url(String path) {
        return baseUrl() + path;
    }

    private static MockResponse json(String body) {
        return new MockResponse.Builder()
                .code(200)
                .addHeader("Content-Type", "application/json")
                .body(body)
                .build();
    }

    @Override
    public void close() {
        server.close();
    }
}
