package io.jenkins.plugins.fluxkontext.parameters;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Where a base URL may send the API key: https, and http only to this machine. */
class BaseUrlTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://api.eu.bfl.ai",
                "https://gateway.example.com/bfl/",
                "http://localhost:8080",
                "http://127.0.0.1:39000/",
                "http://[::1]:9000"
            })
    void httpsEverywhereAndHttpOnlyForThisMachine(String url) {
        assertThat(BaseUrl.check(url)).isNull();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://example.com",
                "http://10.0.0.5",
                "ftp://example.com",
                "file:///etc/passwd",
                "https://user:pw@example.com",
                "https://example.com/?key=1",
                "api.bfl.ai",
                "http://169.254.169.254/"
            })
    void keysAreNotSentToPlainHttpHostsOrOddUrls(String url) {
        assertThat(BaseUrl.check(url))
                .isNotNull()
                .satisfies(v -> assertThat(v.field()).isEqualTo("baseUrl"));
    }
}
