package io.jenkins.plugins.fluxkontext.core.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which calls take which proxy, read from Jenkins-style patterns or the environment, and what is ever printed. */
class ProxyRoutesTest {

    private static final String PASSWORD = "pa55-w0rd-SECRET";

    private static String route(ProxySelector routes, String url) {
        Proxy p = routes.select(URI.create(url)).get(0);
        return p.type() == Proxy.Type.DIRECT
                ? "direct"
                : ((InetSocketAddress) p.address()).getHostString() + ":" + ((InetSocketAddress) p.address()).getPort();
    }

    private interface ProxySelector {
        List<Proxy> select(URI uri);
    }

    @Test
    void jenkinsStylePatternsMatchWholeHostNamesWithStars() {
        ProxySettings proxy = ProxySettings.of("proxy.corp.example", 3128)
                .bypassing(List.of("*.internal.example", "10.*", "build-cache"));
        ProxySelector routes = ProxyRoutes.through(proxy)::select;

        assertThat(route(routes, "https://api.bfl.ai/v1/flux-kontext-max")).isEqualTo("proxy.corp.example:3128");
        assertThat(route(routes, "https://img.internal.example/a.png")).isEqualTo("direct");
        assertThat(route(routes, "https://IMG.Internal.Example/a.png")).isEqualTo("direct");
        assertThat(route(routes, "http://10.1.2.3:8080/")).isEqualTo("direct");
        assertThat(route(routes, "http://build-cache/")).isEqualTo("direct");
        // A pattern is the whole host, as in Jenkins: no accidental suffix match.
        assertThat(route(routes, "https://build-cache.evil.example/")).isEqualTo("proxy.corp.example:3128");
        assertThat(route(routes, "https://internal.example/")).isEqualTo("proxy.corp.example:3128");
    }

    @Test
    void theEnvironmentNamesAProxyPerSchemeAndNoProxyReadsAsCurlReadsIt() {
        ProxySelector routes = ProxyRoutes.fromEnvironment(Map.of(
                "HTTPS_PROXY", "http://proxy.corp.example:3128",
                "http_proxy", "plain-proxy:8080",
                "no_proxy", "corp.example, .svc.local,registry:5000,10.0.0.0/8"))::select;

        assertThat(route(routes, "https://api.bfl.ai/")).isEqualTo("proxy.corp.example:3128");
        assertThat(route(routes, "http://api.bfl.ai/")).isEqualTo("plain-proxy:8080");
        assertThat(route(routes, "https://corp.example/")).isEqualTo("direct");
        assertThat(route(routes, "https://git.corp.example/")).isEqualTo("direct");
        assertThat(route(routes, "https://a.b.svc.local/")).isEqualTo("direct");
        assertThat(route(routes, "https://registry/")).isEqualTo("direct");
        // Loopback cannot be reached through a proxy on another machine.
        assertThat(route(routes, "http://localhost:8080/")).isEqualTo("direct");
        assertThat(route(routes, "http://127.0.0.1:8080/")).isEqualTo("direct");
    }

    @Test
    void noProxyVariablesMeansNone() {
        assertThat(ProxyRoutes.fromEnvironment(Map.of("NO_PROXY", "example.com")))
                .isNull();
    }

    @Test
    void credentialsInTheVariableAreReadAndNeverPrinted() {
        ProxyRoutes routes = ProxyRoutes.fromEnvironment(
                Map.of("https_proxy", "http://ci%40corp:" + PASSWORD.replace("-", "%2D") + "@proxy.corp.example:3128"));

        assertThat(routes.toString())
                .contains("http://proxy.corp.example:3128 as ci@corp")
                .doesNotContain(PASSWORD);
    }

    @Test
    void anUnusableVariableIsNamedWithoutItsPassword() {
        assertThatThrownBy(() -> ProxyRoutes.fromEnvironment(
                        Map.of("HTTPS_PROXY", "https://ci:" + PASSWORD + "@proxy.corp.example:3129")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("HTTPS_PROXY")
                .hasMessageContaining("https://proxy.corp.example:3129")
                .hasMessageNotContaining(PASSWORD);
        assertThatThrownBy(() -> ProxyRoutes.fromEnvironment(
                        Map.of("https_proxy", "socks5://ci:" + PASSWORD + "@proxy.corp.example:1080")))
                .hasMessageContaining("https_proxy")
                .hasMessageNotContaining(PASSWORD);
    }

    @Test
    void thePasswordIsInNoTextAndSurvivesTheTripToTheAgent() throws Exception {
        ProxySettings proxy = ProxySettings.of("proxy.corp.example", 3128)
                .bypassing(List.of("*.corp.example"))
                .authenticatedAs("builder", PASSWORD);

        assertThat(proxy.toString()).isEqualTo("http://proxy.corp.example:3128 as builder, not for *.corp.example");
        assertThat(ProxyRoutes.through(proxy).toString()).doesNotContain(PASSWORD);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(bytes)) {
            o.writeObject(proxy);
        }
        ProxySettings back =
                (ProxySettings) new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray())).readObject();
        assertThat(back).isEqualTo(proxy);
        assertThat(back.password()).isEqualTo(PASSWORD);
    }

    @Test
    void aProxyNeedsABareHostAndARealPort() {
        assertThatThrownBy(() -> ProxySettings.of("http://proxy:3128", 3128)).hasMessageContaining("bare host");
        assertThatThrownBy(() -> ProxySettings.of(" ", 3128)).hasMessageContaining("bare host");
        assertThatThrownBy(() -> ProxySettings.of("proxy", 0)).hasMessageContaining("1 to 65535");
        assertThat(ProxySettings.of("proxy", 3128)
                        .authenticatedAs(" ", PASSWORD)
                        .user())
                .isNull();
    }
}
