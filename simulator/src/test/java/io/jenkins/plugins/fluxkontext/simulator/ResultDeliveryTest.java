package io.jenkins.plugins.fluxkontext.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ResultDeliveryTest extends SimulatorStage {

    private BflClient client;

    @BeforeEach
    void start() {
        startSimulator(
                SimulatorSettings.builder().latency(Duration.ofMillis(200)).randomSeed(1));
        client = new BflClient(sim);
    }

    private String sampleUrl(String prompt) throws Exception {
        return client.pollUntilEnded(client.submitOk(Map.of("prompt", prompt, "seed", 3)))
                .at("/result/sample")
                .asText();
    }

    @Test
    void resultUrlServesADecodablePngLabelledAsSuch() throws Exception {
        BflClient.Answer image = client.get(sampleUrl("a plain picture"));
        assertThat(image.status()).isEqualTo(200);
        assertThat(image.contentType()).isEqualTo("image/png");
        assertThat(ImageIO.read(new ByteArrayInputStream(image.body()))).isNotNull();
        assertThat(sim.ledger().tasks().get(0).downloads()).isEqualTo(1);
    }

    @Test
    void expireWordHandsOutAUrlThatIsAlreadyExpired() throws Exception {
        BflClient.Answer answer = client.get(sampleUrl("x [sim:expire]"));
        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.text()).contains("AuthenticationFailed").contains("expiry");
    }

    @Test
    void resultUrlsExpireAfterTheConfiguredLifetime() throws Exception {
        startSimulator(
                SimulatorSettings.builder().latency(Duration.ofMillis(100)).resultUrlLifetime(Duration.ofMillis(300)));
        client = new BflClient(sim);
        String url = sampleUrl("short lived");
        assertThat(client.get(url).status()).isEqualTo(200);
        Thread.sleep(500);
        assertThat(client.get(url).status()).isEqualTo(403);
    }

    @Test
    void aTamperedSignatureIsRefused() throws Exception {
        String url = sampleUrl("x");
        assertThat(client.get(url.replaceAll("sig=[0-9a-f]{4}", "sig=0000")).status())
                .isEqualTo(403);
    }

    @Test
    void wrongContentTypeServesTheImageAsTextPlain() throws Exception {
        BflClient.Answer answer = client.get(sampleUrl("x [sim:wrong-content-type]"));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.contentType()).isEqualTo("text/plain");
        assertThat(ImageIO.read(new ByteArrayInputStream(answer.body()))).isNotNull();
    }

    @Test
    void htmlResultServesAnHtmlPageInsteadOfTheImage() throws Exception {
        BflClient.Answer answer = client.get(sampleUrl("x [sim:html-result]"));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.contentType()).startsWith("text/html");
        assertThat(answer.text()).startsWith("<!DOCTYPE html>");
    }

    @Test
    void truncatedBodyEndsBeforeItsContentLength() throws Exception {
        String url = sampleUrl("x [sim:truncate]");
        assertThatThrownBy(() -> client.get(url)).isInstanceOf(IOException.class);
    }

    @Test
    void slowBodyTakesAboutTheRequestedTimeAndArrivesWhole() throws Exception {
        String url = sampleUrl("x [sim:slow-body=1s]");
        long start = System.nanoTime();
        BflClient.Answer answer = client.get(url);
        long tookMs = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertThat(tookMs).isBetween(900L, 5000L);
        assertThat(ImageIO.read(new ByteArrayInputStream(answer.body()))).isNotNull();
    }

    @Test
    void aPendingTasksResultIsNotServed() throws Exception {
        startSimulator(SimulatorSettings.builder().latency(Duration.ofSeconds(10)));
        client = new BflClient(sim);
        String id = client.submit(Map.of("prompt", "slow")).json().get("id").asText();
        assertThat(client.get(sim.baseUrl() + "/results/" + id + "/sample.png?se=99999999999999&sig=00")
                        .status())
                .isEqualTo(404);
    }
}
