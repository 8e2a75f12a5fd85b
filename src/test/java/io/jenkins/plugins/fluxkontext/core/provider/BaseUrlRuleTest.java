package io.jenkins.plugins.fluxkontext.core.provider;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The one rule for where the key may go, used by the plugin and the command line alike. */
class BaseUrlRuleTest {

    @Test
    void h10_httpsAnywhereAndPlainHttpOnlyToThisMachine() {
        assertThat(BaseUrlRule.check("https://api.bfl.ai")).isNull();
        assertThat(BaseUrlRule.check("http://127.0.0.1:8080")).isNull();
        assertThat(BaseUrlRule.check("http://localhost:8080")).isNull();
        assertThat(BaseUrlRule.check("http://[::1]:8080")).isNull();
        assertThat(BaseUrlRule.check("http://192.168.1.20:8080")).isNotNull();
        assertThat(BaseUrlRule.check("http://api.bfl.ai")).isNotNull();
        assertThat(BaseUrlRule.check("http://localhost.evil.example")).isNotNull();
    }
}
