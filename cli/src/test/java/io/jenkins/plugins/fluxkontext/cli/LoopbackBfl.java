package io.jenkins.plugins.fluxkontext.cli;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;

/**
 * BFL on loopback as far as the command can tell, set up per test to misbehave: {@code POST /v1/flux-kontext-max}
 * creates {@code task-1}, its status is Ready (or Pending for as long as a test wants), and its image lives where the
 * test says, served at once or a few bytes a second. Records every request it saw.
 */
final class LoopbackBfl extends Dispatcher implements AutoCloseable {

    static final byte[] PNG = png();

    final MockWebServer server = new MockWebServer();
    final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private volatile boolean pending;
    private volatile String imageUrl;
    private volatile int imageStatus = 200;
    private volatile boolean trickle;

    LoopbackBfl() throws IOException {
        server.setDispatcher(this);
        server.start();
    }

    String baseUrl() {
        String url = server.url("/").toString();
        return url.substring(0, url.length() - 1);
    }

    /** Status requests answer Pending until told otherwise. */
    LoopbackBfl staysPending() {
        pending = true;
        return this;
    }

    /** The finished task names {@code url} as its image. */
    LoopbackBfl imageAt(String url) {
        imageUrl = url;
        return this;
    }

    /** The image URL answers {@code status} with a JSON error instead of the image. */
    LoopbackBfl imageAnswers(int status) {
        imageStatus = status;
        return this;
    }

    /** The image comes a few bytes a second, so a download takes long enough to be interrupted. */
    LoopbackBfl trickles() {
        trickle = true;
        return this;
    }

    long count(String method, String pathPrefix) {
        return requests.stream()
                .filter(r ->
                        r.getMethod().equals(method) && r.getUrl().encodedPath().startsWith(pathPrefix))
                .count();
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        requests.add(request);
        String path = request.getUrl().encodedPath();
        if (request.getMethod().equals("POST") && path.startsWith("/v1/flux-kontext-")) {
            return json(200, "{\"id\":\"task-1\",\"polling_url\":\"" + baseUrl() + "/v1/get_result?id=task-1\"}");
        }
        if (path.equals("/v1/get_result")) {
            if (pending) {
                return json(200, "{\"id\":\"task-1\",\"status\":\"Pending\",\"progress\":0.3}");
            }
            String sample = imageUrl != null ? imageUrl : baseUrl() + "/delivery/task-1.png?sig=SIGNATURE9";
            return json(
                    200,
                    "{\"id\":\"task-1\",\"status\":\"Ready\",\"result\":{\"sample\":\"" + sample + "\",\"seed\":3}}");
        }
        if (path.startsWith("/delivery/")) {
            if (imageStatus != 200) {
                return json(imageStatus, "{\"detail\":\"no such image\"}");
            }
            MockResponse.Builder image = new MockResponse.Builder()
                    .setHeader("Content-Type", "image/png")
                    .body(new Buffer().write(PNG));
            if (trickle) {
                image.throttleBody(8, 1, TimeUnit.SECONDS);
            }
            return image.build();
        }
        return json(404, "{\"detail\":\"Not Found\"}");
    }

    @Override
    public void close() {
        server.close();
    }

    private static MockResponse json(int code, String body) {
        return new MockResponse.Builder()
                .code(code)
                .setHeader("Content-Type", "application/json")
                .body(body)
                .build();
    }

    private static byte[] png() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ImageIO.write(new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB), "png", bytes);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
