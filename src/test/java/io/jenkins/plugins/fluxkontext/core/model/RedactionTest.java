package io.jenkins.plugins.fluxkontext.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactionTest {

    @Test
    void signedUrlsLoseTheirQueryFragmentAndUserInfo() {
        assertThat(Redaction.withoutQuery("https://delivery-eu1.bfl.ai/results/a/sample.png?se=2026&sig=SECRETSIG"))
                .isEqualTo("https://delivery-eu1.bfl.ai/results/a/sample.png");
        assertThat(Redaction.withoutQuery("https://user:pass@host:8443/x.png#frag"))
                .isEqualTo("https://host:8443/x.png");
        assertThat(Redaction.withoutQuery("not a uri ?token=1")).isEqualTo("not a uri ");
        assertThat(Redaction.withoutQuery((String) null)).isEmpty();
    }

    @Test
    void h12_remoteTextBecomesOnePrintableLineOfBoundedLength() {
        assertThat(Redaction.printable("task-1\n[FLUX.1 Kontext] forged\r\u001b[2J\u0007\u202eevil\u2028x", 200))
                .isEqualTo("task-1 [FLUX.1 Kontext] forged ?[2J??evil x");
        assertThat(Redaction.printable("t".repeat(100_000), 80)).hasSize(80).endsWith("…");
        assertThat(Redaction.printable("task-77", 80)).isEqualTo("task-77");
        assertThat(Redaction.printable(null, 80)).isNull();
    }
}
