package io.jenkins.plugins.fluxkontext.core.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.fluxkontext.core.engine.GenerationEngine;
import io.jenkins.plugins.fluxkontext.core.engine.GenerationJob;
import io.jenkins.plugins.fluxkontext.core.harness.ScriptedBfl;
import io.jenkins.plugins.fluxkontext.core.output.OutputPlan;
import io.jenkins.plugins.fluxkontext.core.provider.ApiKey;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderEndpoint;
import io.jenkins.plugins.fluxkontext.core.provider.bfl.BflDialect;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Row S-14: TLS verification stays on. A provider host whose certificate nobody vouches for gets no request, so the
 * key never goes out; trusting a private certificate authority is an explicit choice of whoever builds the engine.
 */
class TlsTest extends FaultStage {

    private final HeldCertificate selfSigned = new HeldCertificate.Builder()
            .addSubjectAlternativeName("localhost")
            .addSubjectAlternativeName("127.0.0.1")
            .build();
    private MockWebServer https;

    @BeforeEach
    void startHttpsProvider() throws Exception {
        https = new MockWebServer();
        https.useHttps(new HandshakeCertificates.Builder()
                .heldCertificate(selfSigned)
                .build()
                .sslSocketFactory());
        new ScriptedBfl(https); // answers as BFL does: accepted, Ready, the image
        https.start();
    }

    @AfterEach
    void stopHttpsProvider() {
        https.close();
    }

    private GenerationJob jobAgainstHttps() {
        return new GenerationJob(
                prompt().build(),
                new ProviderEndpoint(new BflDialect(), https.url("/").uri()),
                ApiKey.of(KEY),
                OutputPlan.into(out));
    }

    @Test
    void s14_aProviderWithASelfSignedCertificateGetsNoRequestAndNothingIsBilled() throws Exception {
        TaskOutcome outcome = run(jobAgainstHttps()).outcomes().get(0);

        assertThat(outcome).isInstanceOf(TaskOutcome.NotSubmitted.class);
        assertThat(outcome.message()).contains("could not reach");
        assertThat(https.getRequestCount())
                .as("requests that got past the handshake")
                .isZero();
        assertThat(filesInOutput()).noneMatch(name -> name.endsWith(".png"));
    }

    @Test
    void s14_aPrivateAuthorityIsTrustedOnlyWhenTheEngineIsBuiltToTrustIt() throws Exception {
        HandshakeCertificates trusting = new HandshakeCertificates.Builder()
                .addTrustedCertificate(selfSigned.certificate())
                .build();
        replaceEngine(GenerationEngine.builder()
                .httpClient(new OkHttpClient.Builder()
                        .sslSocketFactory(trusting.sslSocketFactory(), trusting.trustManager())
                        .build()));

        TaskOutcome outcome = run(jobAgainstHttps()).outcomes().get(0);

        assertThat(outcome.succeeded()).as(outcome.message()).isTrue();
        assertThat(filesInOutput()).contains("flux-kontext-1.png");
    }
}
