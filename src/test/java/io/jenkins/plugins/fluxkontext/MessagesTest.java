package io.jenkins.plugins.fluxkontext;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The texts users see in Jenkins' pages come from each package's Messages.properties, through the Messages classes
 * the build generates from them; each text reads as written once Jenkins formats it.
 */
class MessagesTest {

    @Test
    void displayNamesComeFromTheGeneratedMessages() {
        assertThat(io.jenkins.plugins.fluxkontext.steps.Messages.FluxKontextGenerateStep_DisplayName())
                .isEqualTo("Generate images with FLUX.1 Kontext");
        assertThat(io.jenkins.plugins.fluxkontext.steps.Messages.FluxKontextEditStep_DisplayName())
                .isEqualTo("Edit images with FLUX.1 Kontext");
        assertThat(io.jenkins.plugins.fluxkontext.freestyle.Messages.FluxKontextGenerateBuilder_DisplayName())
                .isEqualTo("Generate image with FLUX.1 Kontext");
        assertThat(io.jenkins.plugins.fluxkontext.freestyle.Messages.FluxKontextEditBuilder_DisplayName())
                .isEqualTo("Edit image with FLUX.1 Kontext");
        assertThat(io.jenkins.plugins.fluxkontext.config.Messages.FluxKontextGlobalConfiguration_DisplayName())
                .isEqualTo("FLUX.1 Kontext");
        assertThat(io.jenkins.plugins.fluxkontext.action.Messages.FluxKontextAction_DisplayName())
                .isEqualTo("FLUX.1 Kontext images");
    }

    @Test
    void argumentsAndApostrophesComeOutAsWritten() {
        assertThat(io.jenkins.plugins.fluxkontext.config.Messages.FormChecks_NoCredentialForThisJob(
                        "Secret text", "flux-key"))
                .isEqualTo("No \"Secret text\" credential with id 'flux-key' is available to this job");
    }

    /**
     * MessageFormat drops a single apostrophe and everything it quotes, so a text such as {@code the build's} must be
     * written {@code the build''s}; every placeholder must be one MessageFormat can fill.
     */
    @Test
    void everyMessageIsAValidPatternWithItsApostrophesDoubled() throws Exception {
        List<Path> bundles = bundles();
        assertThat(bundles)
                .extracting(p -> root().relativize(p).toString().replace('\\', '/'))
                .contains(
                        "io/jenkins/plugins/fluxkontext/steps/Messages.properties",
                        "io/jenkins/plugins/fluxkontext/freestyle/Messages.properties",
                        "io/jenkins/plugins/fluxkontext/config/Messages.properties",
                        "io/jenkins/plugins/fluxkontext/action/Messages.properties");
        for (Path bundle : bundles) {
            Properties messages = new Properties();
            try (Reader in = Files.newBufferedReader(bundle, StandardCharsets.ISO_8859_1)) {
                messages.load(in);
            }
            assertThat(messages).as(bundle.toString()).isNotEmpty();
            for (String key : messages.stringPropertyNames()) {
                String pattern = messages.getProperty(key);
                String where = bundle.getParent().getFileName() + "/" + key;
                MessageFormat format = new MessageFormat(pattern, Locale.ENGLISH);
                Object[] arguments = new Object[format.getFormatsByArgumentIndex().length];
                for (int i = 0; i < arguments.length; i++) {
                    arguments[i] = "<" + i + ">";
                }
                String shown = format.format(arguments);
                String expected = pattern.replace("''", "'");
                for (int i = 0; i < arguments.length; i++) {
                    expected = expected.replace("{" + i + "}", "<" + i + ">");
                }
                assertThat(shown).as(where).isEqualTo(expected);
            }
        }
    }

    private static List<Path> bundles() throws IOException, URISyntaxException {
        try (Stream<Path> files = Files.walk(root())) {
            return files.filter(f -> f.getFileName().toString().equals("Messages.properties"))
                    .sorted()
                    .toList();
        }
    }

    /** The folder the plugin's resources were copied to (target/classes), found through index.jelly. */
    private static Path root() throws URISyntaxException {
        return Path.of(MessagesTest.class.getResource("/index.jelly").toURI()).getParent();
    }
}
