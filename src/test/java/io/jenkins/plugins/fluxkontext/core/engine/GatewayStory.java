package io.jenkins.plugins.fluxkontext.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
import io.jenkins.plugins.fluxkontext.core.output.OutputPlan;
import io.jenkins.plugins.fluxkontext.core.provider.ApiKey;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderDialect;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderEndpoint;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The stage for a gateway dialect's stories: a scripted fake of its API on loopback, manual time, an output folder.
 * After each story it checks what the user could see and what went over the wire: the key only ever in the
 * provider's auth header ({@link #authHeader}), never in a URL, a body, an event, an outcome or a file, and never
 * sent to the image host.
 */
abstract class GatewayStory extends RecordedStage {

    static final String KEY = "gw-sk-4b1d-SECRET";
    static final ObjectMapper JSON = new ObjectMapper();

    FakeGateway gateway;

    /** The dialect under test. */
    abstract ProviderDialect dialect();

    /**
     * The auth header and its value as the provider wants it: {@code Authorization: Bearer KEY}, as most gateways
     * document it; a provider that wants another overrides this.
     */
    String[] authHeader() {
        return new String[] {"Authorization", "Bearer " + KEY};
    }

    @BeforeEach
    void stage() {
        gateway = new FakeGateway(server);
    }

    @AfterEach
    void theKeyGoesOnlyIntoTheAuthHeader() throws IOException {
        List<String> captured = visibleToTheUser();
        String[] auth = authHeader();
        for (RecordedRequest request : gateway.requests()) {
            captured.add(request.getRequestLine());
            captured.add(request.getBody() == null ? "" : request.getBody().utf8());
            for (String name : request.getHeaders().names()) {
                if (!name.equalsIgnoreCase(auth[0])) {
                    captured.add(name + ": " + request.getHeaders().get(name));
                }
            }
            if (request.getUrl().encodedPath().startsWith("/files/")) {
                assertThat(request.getHeaders().get(auth[0]))
                        .as("auth header sent to the image host")
                        .isNull();
            } else {
                assertThat(request.getHeaders().get(auth[0]))
                        .as(request.getRequestLine())
                        .isEqualTo(auth[1]);
            }
        }
        assertThat(captured)
                .as("everything a user could see, and the wire outside the auth header")
                .noneMatch(text -> text.contains(KEY));
    }

    GenerationResult run(GenerationRequest request) throws InterruptedException {
        ProviderEndpoint endpoint =
                new ProviderEndpoint(dialect(), server.url("/").uri());
        GenerationJob job = new GenerationJob(request, endpoint, ApiKey.of(KEY), OutputPlan.into(out));
        return recorded(() -> engine.run(job, events::add));
    }

    TaskOutcome runOne(GenerationRequest request) throws InterruptedException {
        GenerationResult result = run(request);
        assertThat(result.outcomes()).hasSize(1);
        return result.outcomes().get(0);
    }

    List<String> imageFiles() throws IOException {
        try (Stream<Path> files = Files.list(out)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".png") || n.endsWith(".jpg"))
                    .sorted()
                    .toList();
        }
    }

    static JsonNode body(RecordedRequest request) throws IOException {
        return JSON.readTree(request.getBody().utf8());
    }

    static String status(String template, Object... args) {
        return String.format(template, args);
    }
}
