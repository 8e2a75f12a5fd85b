package io.jenkins.plugins.fluxkontext.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.fluxkontext.simulator.FluxKontextSimulator;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiKeySourceTest {

    private static final URI BFL = URI.create("https://api.bfl.ai");

    @Test
    void takesTheKeyFromTheEnvironment() throws Exception {
        assertThat(ApiKeySource.resolve(Map.of("FLUX_KONTEXT_API_KEY", "sk-env"), null, BFL)
                        .reveal())
                .isEqualTo("sk-env");
    }

    @Test
    void aKeyFileWinsOverTheEnvironmentAndItsLineBreakIsDropped(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("key"), "sk-file\n");
        assertThat(ApiKeySource.resolve(Map.of("FLUX_KONTEXT_API_KEY", "sk-env"), file, BFL)
                        .reveal())
                .isEqualTo("sk-file");
    }

    @Test
    void anEmptyOrMissingKeyFileIsAnError(@TempDir Path dir) throws Exception {
        Path empty = Files.writeString(dir.resolve("empty"), "  \n");
        assertThatThrownBy(() -> ApiKeySource.resolve(Map.of(), empty, BFL)).hasMessageContaining("is empty");
        assertThatThrownBy(() -> ApiKeySource.resolve(Map.of(), dir.resolve("absent"), BFL))
                .hasMessageContaining("cannot be read");
    }

    @Test
    void aRealProviderWithoutAKeyIsRefusedWithTheWaysToGiveOne() {
        assertThatThrownBy(() -> ApiKeySource.resolve(Map.of(), null, BFL))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("FLUX_KONTEXT_API_KEY")
                .hasMessageContaining("--api-key-file");
    }

    @Test
    void aSimulatorOnThisMachineNeedsNoKey() throws Exception {
        assertThat(ApiKeySource.resolve(Map.of(), null, URI.create("http://127.0.0.1:8080"))
                        .reveal())
                .isEqualTo(FluxKontextSimulator.DEMO_KEY);
        assertThat(ApiKeySource.isLoopback(URI.create("http://localhost:1"))).isTrue();
        assertThat(ApiKeySource.isLoopback(URI.create("http://[::1]:1"))).isTrue();
        assertThat(ApiKeySource.isLoopback(URI.create("https://api.bfl.ai"))).isFalse();
        assertThat(ApiKeySource.isLoopback(URI.create("http://10.0.0.1"))).isFalse();
    }
}
