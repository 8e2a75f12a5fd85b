package io.jenkins.plugins.fluxkontext.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.fluxkontext.core.harness.ScriptedBfl;
import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
import io.jenkins.plugins.fluxkontext.core.output.OutputPlan;
import io.jenkins.plugins.fluxkontext.core.provider.ApiKey;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderEndpoint;
import io.jenkins.plugins.fluxkontext.core.provider.bfl.BflDialect;
import io.jenkins.plugins.fluxkontext.core.proxy.ProxySettings;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Credentials;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine behind a company proxy (docs/reliability.md, R-15): submit, polls and image downloads all go through the
 * proxy given, hosts it bypasses are called directly, the proxy's {@code 407} is answered with its user and password,
 * and that password reaches nobody else and nothing a user reads.
 */
class ProxyStoriesTest {

    private static final String KEY = "bfl-sk-proxy-story-KEY";
    private static final String PASSWORD = "pr0xy-S3CRET-pw";

    @TempDir
    Path out;

    private CompanyProxy proxy;
    private final List<ProgressEvent> events = new CopyOnWriteArrayList<>();
    private final List<String> seen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        proxy = new CompanyProxy();
    }

    @AfterEach
    void thePasswordAppearsNowhere() throws IOException {
        List<String> captured = new ArrayList<>(seen);
        events.forEach(e -> captured.add(e.toString()));
        try (Stream<Path> files = Files.walk(out)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                captured.add(file + "\n" + Files.readString(file, StandardCharsets.ISO_8859_1));
            }
        }
        assertThat(captured).as("everything a user could see").noneMatch(t -> t.contains(PASSWORD) || t.contains(KEY));
        proxy.close();
    }

    private static GenerationEngine.Builder engine() {
        // No environment and no JVM proxy properties: only what a story gives counts.
        return GenerationEngine.builder()
                .environment(Map.of())
                .jvmProperties(new Properties())
                .connectTimeout(Duration.ofSeconds(2))
                .readTimeout(Duration.ofSeconds(5))
                .pollSchedule(PollSchedule.fixed(Duration.ofMillis(10)));
    }

    private GenerationResult run(GenerationEngine engine, String baseUrl, int count) throws InterruptedException {
        GenerationRequest request = GenerationRequest.builder()
                .prompt("A lighthouse in fog")
                .count(count)
                .build();
        GenerationJob job = new GenerationJob(
                request,
                new ProviderEndpoint(new BflDialect(), URI.create(baseUrl)),
                ApiKey.of(KEY),
                OutputPlan.into(out));
        try (engine) {
            GenerationResult result = engine.run(job, events::add);
            seen.add(result.toString());
            result.outcomes().forEach(o -> seen.add(o.message()));
            return result;
        }
    }

    @Test
    void submitPollsAndDownloadsAllGoThroughTheGivenProxy() throws Exception {
        // By name, not address: the proxy's own address must not meet the download's check of internal addresses.
        GenerationEngine engine =
                engine().proxy(ProxySettings.of("localhost", proxy.port())).build();

        GenerationResult result = run(engine, CompanyProxy.BASE, 2);

        assertThat(result.allSucceeded()).as(result.toString()).isTrue();
        assertThat(result.images()).hasSize(2);
        assertThat(proxy.requestLines())
                .contains(
                        "POST http://api.bfl.example/v1/flux-kontext-max HTTP/1.1",
                        "GET http://api.bfl.example/v1/get_result?id=task-1 HTTP/1.1",
                        "GET http://api.bfl.example/v1/get_result?id=task-2 HTTP/1.1",
                        "GET http://api.bfl.example/delivery/task-1.png?sig=SIGNED HTTP/1.1",
                        "GET http://api.bfl.example/delivery/task-2.png?sig=SIGNED HTTP/1.1");
        assertThat(proxy.requestLines()).filteredOn(l -> l.startsWith("POST")).hasSize(2);
    }

    @Test
    void aHostTheProxyBypassesIsCalledDirectly() throws Exception {
        try (MockWebServer provider = new MockWebServer()) {
            ScriptedBfl bfl = new ScriptedBfl(provider);
            provider.start();
            GenerationEngine engine = engine().proxy(ProxySettings.of("127.0.0.1", proxy.port())
                            .bypassing(List.of("*.corp.example", provider.getHostName())))
                    .build();

            GenerationResult result = run(engine, provider.url("/").toString(), 1);

            assertThat(result.allSucceeded()).as(result.toString()).isTrue();
            assertThat(bfl.submits()).isEqualTo(1);
            assertThat(bfl.downloads()).isEqualTo(1);
            assertThat(proxy.requests).as("requests the proxy saw").isEmpty();
        }
    }

    @Test
    void aProxyThatAsksForCredentialsGetsTheUserAndPassword() throws Exception {
        proxy.requireCredentials("builder", PASSWORD);
        GenerationEngine engine = engine().proxy(
                        ProxySettings.of("localhost", proxy.port()).authenticatedAs("builder", PASSWORD))
                .build();

        GenerationResult result = run(engine, CompanyProxy.BASE, 1);

        assertThat(result.allSucceeded()).as(result.toString()).isTrue();
        List<RecordedRequest> answered = proxy.requests.stream()
                .filter(r -> r.getHeaders().get("Proxy-Authorization") != null)
                .toList();
        assertThat(answered).extracting(RecordedRequest::getMethod).contains("POST", "GET");
        assertThat(answered)
                .allMatch(r -> Credentials.basic("builder", PASSWORD)
                        .equals(r.getHeaders().get("Proxy-Authorization")));
        assertThat(answered).extracting(r -> r.getUrl().encodedPath()).contains("/delivery/task-1.png");
        assertThat(engine.proxyDescription())
                .contains("localhost:" + proxy.port(), "as builder")
                .doesNotContain(PASSWORD);
    }

    @Test
    void wrongCredentialsEndWithTheProxysRefusalAndThePasswordIsInNoMessage() throws Exception {
        proxy.requireCredentials("builder", "the-right-one");
        GenerationEngine engine = engine().proxy(
                        ProxySettings.of("localhost", proxy.port()).authenticatedAs("builder", PASSWORD))
                .build();

        GenerationResult result = run(engine, CompanyProxy.BASE, 1);

        assertThat(result.allSucceeded()).isFalse();
        assertThat(result.outcomes().get(0).message()).contains("407");
        // Asked once, answered once, refused: no loop of guesses.
        assertThat(proxy.requests).hasSize(2);
    }

    @Test
    void aServerThatIsNotTheProxyNeverReceivesTheProxyCredentials() throws Exception {
        try (MockWebServer provider = new MockWebServer()) {
            ScriptedBfl bfl = new ScriptedBfl(provider);
            provider.start();
            // The provider itself (reached directly) pretends to be a proxy asking for credentials.
            bfl.onSubmit(new MockResponse.Builder()
                    .code(407)
                    .addHeader("Proxy-Authenticate", "Basic realm=\"trap\"")
                    .build());
            GenerationEngine engine = engine().proxy(ProxySettings.of("localhost", proxy.port())
                            .bypassing(List.of(provider.getHostName()))
                            .authenticatedAs("builder", PASSWORD))
                    .build();

            GenerationResult result = run(engine, provider.url("/").toString(), 1);

            assertThat(result.allSucceeded()).isFalse();
            assertThat(bfl.requests())
                    .isNotEmpty()
                    .allMatch(r -> r.getHeaders().get("Proxy-Authorization") == null
                            && !r.getHeaders().toString().contains(Credentials.basic("builder", PASSWORD)));
            assertThat(proxy.requests).isEmpty();
        }
    }

    @Test
    void withNothingGivenTheJvmProxyPropertiesApply() throws Exception {
        // The JDK's default ProxySelector reads these properties on every call; OkHttp asks it by default.
        System.setProperty("http.proxyHost", "localhost");
        System.setProperty("http.proxyPort", Integer.toString(proxy.port()));
        try {
            GenerationEngine engine = GenerationEngine.builder()
                    .environment(Map.of())
                    .connectTimeout(Duration.ofSeconds(2))
                    .readTimeout(Duration.ofSeconds(5))
                    .pollSchedule(PollSchedule.fixed(Duration.ofMillis(10)))
                    .build();

            GenerationResult result = run(engine, CompanyProxy.BASE, 1);

            assertThat(result.allSucceeded()).as(result.toString()).isTrue();
            assertThat(proxy.requestLines())
                    .contains(
                            "POST http://api.bfl.example/v1/flux-kontext-max HTTP/1.1",
                            "GET http://api.bfl.example/delivery/task-1.png?sig=SIGNED HTTP/1.1");
        } finally {
            System.clearProperty("http.proxyHost");
            System.clearProperty("http.proxyPort");
        }
    }

    @Test
    void withNothingGivenTheEnvironmentsProxyAppliesWithItsCredentials() throws Exception {
        proxy.requireCredentials("ci", PASSWORD);
        GenerationEngine engine = engine().environment(Map.of(
                        "http_proxy",
                        "http://ci:" + PASSWORD + "@localhost:" + proxy.port(),
                        "NO_PROXY",
                        ".corp.example"))
                .build();

        GenerationResult result = run(engine, CompanyProxy.BASE, 1);

        assertThat(result.allSucceeded()).as(result.toString()).isTrue();
        assertThat(proxy.requestLines()).contains("GET http://api.bfl.example/delivery/task-1.png?sig=SIGNED HTTP/1.1");
        assertThat(engine.proxyDescription()).contains("from the environment").doesNotContain(PASSWORD);
    }

    @Test
    void h06_anImageHostThisMachineCannotCheckIsNotFetchedThroughTheProxy() throws Exception {
        proxy.answerImagesAt("https://secrets.corp.internal:8443/x.png?sig=SIGNED");
        GenerationEngine engine =
                engine().proxy(ProxySettings.of("localhost", proxy.port())).build();

        GenerationResult result = run(engine, CompanyProxy.BASE, 1);

        TaskOutcome outcome = result.outcomes().get(0);
        assertThat(outcome).isInstanceOf(TaskOutcome.DownloadFailed.class);
        assertThat(outcome.message()).contains("secrets.corp.internal", "proxy", "administrator");
        assertThat(proxy.requestLines())
                .as("not even a CONNECT reaches the proxy")
                .noneMatch(line -> line.contains("secrets.corp.internal"));
    }

    @Test
    void h06_anImageHostAnAdministratorAllowedIsFetchedThroughTheProxy() throws Exception {
        proxy.answerImagesAt("https://images.corp.internal:8443/x.png?sig=SIGNED");
        // The proxy cannot reach that host here, so the download fails until the deadline: a short one.
        GenerationEngine engine = engine().proxy(ProxySettings.of("localhost", proxy.port()))
                .imageHostsBehindProxy(List.of("*.corp.internal"))
                .totalTimeout(Duration.ofSeconds(2))
                .build();

        run(engine, CompanyProxy.BASE, 1);

        assertThat(proxy.requestLines())
                .as("the download went to the proxy (which cannot reach that host here)")
                .anyMatch(line -> line.startsWith("CONNECT images.corp.internal:8443"));
    }
}
