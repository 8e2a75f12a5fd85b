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
}
