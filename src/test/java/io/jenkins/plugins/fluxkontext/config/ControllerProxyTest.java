package io.jenkins.plugins.fluxkontext.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.fluxkontext.core.proxy.ProxySettings;
import org.junit.jupiter.api.Test;

/** Jenkins' HTTP proxy fields as the agent job receives them. */
class ControllerProxyTest {

    private static final String PASSWORD = "jenkins-proxy-S3CRET";

    @Test
    void theFieldsBecomeTheProxyWithItsNoProxyHostsSplitAsJenkinsSplitsThem() throws Exception {
        ProxySettings proxy = ControllerProxy.settings(
                "proxy.corp.example", 3128, "*.corp.example, 10.*|build-cache\nlocalhost", "jenkins", PASSWORD);

        assertThat(proxy.host()).isEqualTo("proxy.corp.example");
        assertThat(proxy.port()).isEqualTo(3128);
        assertThat(proxy.bypass()).containsExactly("*.corp.example", "10.*", "build-cache", "localhost");
        assertThat(proxy.user()).isEqualTo("jenkins");
        assertThat(proxy.bypasses("git.corp.example")).isTrue();
        assertThat(proxy.bypasses("api.bfl.ai")).isFalse();
        assertThat(proxy.toString()).doesNotContain(PASSWORD);
    }

    @Test
    void withoutAUserTheProxyIsNotAnswered() throws Exception {
        ProxySettings proxy = ControllerProxy.settings("proxy.corp.example", 3128, null, "", null);

        assertThat(proxy.user()).isNull();
        assertThat(proxy.bypass()).isEmpty();
    }

    @Test
    void noHostMeansNoProxy() throws Exception {
        assertThat(ControllerProxy.settings("  ", 3128, "*.corp.example", "jenkins", PASSWORD))
                .isNull();
        assertThat(ControllerProxy.settings(null, 0, null, null, null)).isNull();
    }

    @Test
    void anUnusablePortSaysWhereToFixItWithoutThePassword() {
        assertThatThrownBy(() -> ControllerProxy.settings("proxy.corp.example", 0, null, "jenkins", PASSWORD))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Manage Jenkins → System → HTTP Proxy Configuration")
                .hasMessageContaining("1 to 65535")
                .hasMessageNotContaining(PASSWORD);
    }
}
