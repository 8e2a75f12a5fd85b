package io.jenkins.plugins.fluxkontext.parameters;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Empty fields take the global defaults; what a step sets wins. */
class ConfiguredDefaultsTest {

    private static final ConfiguredDefaults EU =
            new ConfiguredDefaults("bfl", Map.of("bfl", "https://api.eu.bfl.ai"), "team-key", 900, 30);

    @Test
    void emptyFieldsTakeTheGlobalDefaults() {
        StepSettings settings = StepSettings.generate("a fox").withDefaults(EU);
        settings.check();

        assertThat(settings.credentialsId()).isEqualTo("team-key");
        assertThat(settings.endpoint().baseUrl()).isEqualTo(URI.create("https://api.eu.bfl.ai"));
        assertThat(settings.timeout()).hasSeconds(900);
        assertThat(settings.pollTimeout()).hasSeconds(30);
    }

    @Test
    void whatAStepSetsWinsOverTheDefaults() {
        StepSettings settings = StepSettings.generate("a fox")
                .credentialsId("own-key")
                .baseUrl("https://api.us1.bfl.ai")
                .timeoutSeconds(120)
                .withDefaults(EU);

        assertThat(settings.credentialsId()).isEqualTo("own-key");
        assertThat(settings.endpoint().baseUrl()).isEqualTo(URI.create("https://api.us1.bfl.ai"));
        assertThat(settings.timeout()).hasSeconds(120);
    }

    @Test
    void withoutAnyConfigurationTheBuiltInDefaultsApply() {
        StepSettings settings = StepSettings.generate("a fox").withDefaults(ConfiguredDefaults.NONE);

        assertThat(settings.credentialsId()).isNull();
        assertThat(settings.endpoint().baseUrl()).isEqualTo(URI.create("https://api.bfl.ai"));
        assertThat(settings.timeout()).hasSeconds(600);
        assertThat(settings.pollTimeout()).hasSeconds(60);
    }

    @Test
    void h06_imageHostsBehindTheProxyComeFromTheAdministratorOnly() {
        ConfiguredDefaults admin = new ConfiguredDefaults(
                "bfl", Map.of(), "team-key", null, null, ImageHostsBehindProxy.parse("cdn.example.com\n*.Example.org"));

        StepSettings settings = StepSettings.generate("a fox").withDefaults(admin);

        assertThat(settings.imageHostsBehindProxy()).containsExactly("cdn.example.com", "*.example.org");
        assertThat(StepSettings.generate("a fox")
                        .withDefaults(ConfiguredDefaults.NONE)
                        .imageHostsBehindProxy())
                .isEmpty();
    }

    @Test
    void h06_anImageHostEntryThatIsNotAHostIsRefusedNamingIt() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> ImageHostsBehindProxy.parse("cdn.example.com, http://evil/x, 10.0.0.0/8"))
                .hasMessageContaining("imageHostsBehindProxy")
                .hasMessageContaining("http://evil/x")
                .hasMessageContaining("10.0.0.0/8");
    }
}
