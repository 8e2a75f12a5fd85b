package io.jenkins.plugins.fluxkontext.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.fluxkontext.core.provider.ApiKey;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderEndpoint;
import io.jenkins.plugins.fluxkontext.core.provider.catalog.Providers;
import io.jenkins.plugins.fluxkontext.core.proxy.ProxySettings;
import io.jenkins.plugins.fluxkontext.testing.RecordingProxy;
import java.net.URI;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** "Test connection" against a local server speaking BFL: one GET of the credits, never a task. */
class ConnectionCheckTest {

    /** The controller has no HTTP proxy configured. */
    private static final ProxySettings NO_PROXY = null;

    private static final ApiKey KEY = ApiKey.of("bfl-sk-test-7f3a9c1e5d2b");

    private MockWebServer server;
    private ProviderEndpoint endpoint;

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start();
        endpoint = new ProviderEndpoint(
                Providers.byId("bfl"), URI.create(server.url("/").toString()));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aWorkingKeyShowsTheCreditsLeft() throws Exception {
        server.enqueue(new MockResponse.Builder()
                .code(200)
                .addHeader("Content-Type", "application/json")
                .body("{\"credits\": 1234.50}")
                .build());

        ConnectionCheck.Outcome outcome = new ConnectionCheck(NO_PROXY).check(endpoint, KEY);

        assertThat(outcome.ok()).isTrue();
        assertThat(outcome.message())
                .startsWith("Connected to Black Forest Labs at http://")
                .endsWith(": 1234.5 credits left.");
        RecordedRequest request = server.takeRequest();
        assertThat(request.getMethod()).isEqualTo("GET");
        assertThat(request.getUrl().encodedPath()).isEqualTo("/v1/credits");
        assertThat(request.getHeaders().get("x-key")).isEqualTo(KEY.reveal());
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aRefusedKeySaysSoWithoutEchoingIt() {
        server.enqueue(new MockResponse.Builder()
                .code(403)
                .body("{\"detail\":\"Invalid key bfl-sk-test-7f3a9c1e5d2b\"}")
                .build());

        ConnectionCheck.Outcome outcome = new ConnectionCheck(NO_PROXY).check(endpoint, KEY);

        assertThat(outcome.ok()).isFalse();
        assertThat(outcome.message()).contains("refused the key (HTTP 403)").doesNotContain(KEY.reveal());
    }

    @Test
    void anUnreachableServerIsReportedWithoutTheKey() {
        server.close();

        ConnectionCheck.Outcome outcome = new ConnectionCheck(NO_PROXY).check(endpoint, KEY);

        assertThat(outcome.ok()).isFalse();
        assertThat(outcome.message()).startsWith("Could not reach http://").doesNotContain(KEY.reveal());
    }

    @Test
    void aRedirectIsNotFollowedSoTheKeyGoesNowhereElse() {
        server.enqueue(new MockResponse.Builder()
                .code(302)
                .addHeader("Location", "https://elsewhere.example/steal")
                .build());

        ConnectionCheck.Outcome outcome = new ConnectionCheck(NO_PROXY).check(endpoint, KEY);

        assertThat(outcome.ok()).isFalse();
        assertThat(outcome.message()).contains("answered HTTP 302");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void theControllersProxyCarriesTheCheckAndIsAnsweredWhenItAsks() throws Exception {
        server.enqueue(new MockResponse.Builder()
                .code(200)
                .addHeader("Content-Type", "application/json")
                .body("{\"credits\": 12}")
                .build());
        try (RecordingProxy proxy = new RecordingProxy().requireCredentials("jenkins", "proxy-S3CRET")) {
            ProxySettings controllerProxy =
                    ProxySettings.of(proxy.host(), proxy.port()).authenticatedAs("jenkins", "proxy-S3CRET");

            ConnectionCheck.Outcome outcome = new ConnectionCheck(controllerProxy).check(endpoint, KEY);

            assertThat(outcome.ok()).as(outcome.message()).isTrue();
            assertThat(outcome.message()).endsWith(": 12 credits left.");
            assertThat(proxy.requestLines).contains("GET " + server.url("/v1/credits") + " HTTP/1.1");
            assertThat(server.takeRequest().getHeaders().get("Proxy-Authorization"))
                    .as("relayed to the provider")
                    .isNull();
        }
    }

    @Test
    void aProxyThatRefusesTheCredentialsIsNamedWithoutThePassword() throws Exception {
        try (RecordingProxy proxy = new RecordingProxy().requireCredentials("jenkins", "the-right-one")) {
            ProxySettings controllerProxy =
                    ProxySettings.of(proxy.host(), proxy.port()).authenticatedAs("jenkins", "proxy-S3CRET");

            ConnectionCheck.Outcome outcome = new ConnectionCheck(controllerProxy).check(endpoint, KEY);

            assertThat(outcome.ok()).isFalse();
            assertThat(outcome.message())
                    .startsWith("The proxy http://" + proxy.host() + ":" + proxy.port() + " as jenkins refused")
                    .contains("(HTTP 407)")
                    .contains("HTTP Proxy Configuration")
                    .doesNotContain("proxy-S3CRET")
                    .doesNotContain(KEY.reveal());
            assertThat(server.getRequestCount()).isZero();
        }
    }
}
