package io.jenkins.plugins.fluxkontext.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** The jar's entry point must load on an old Java, to say which Java the command needs. */
class LauncherTest {

    @Test
    void itIsCompiledForJava8SoEveryJavaThatStartsTheJarCanRunIt() throws Exception {
        try (InputStream in = Launcher.class.getResourceAsStream("Launcher.class");
                DataInputStream data = new DataInputStream(in)) {
            assertThat(data.readInt()).isEqualTo(0xCAFEBABE);
            data.readUnsignedShort(); // minor
            assertThat(data.readUnsignedShort())
                    .as("class file major version (52 = Java 8)")
                    .isEqualTo(52);
        }
    }

    @Test
    void itReadsTheJavaVersionInBothSpellings() {
        assertThat(Launcher.feature("1.8")).isEqualTo(8);
        assertThat(Launcher.feature("17")).isEqualTo(17);
        assertThat(Launcher.feature("21")).isEqualTo(21);
        assertThat(Launcher.feature("25-ea")).isEqualTo(25);
        assertThat(Launcher.feature(null)).isZero();
        assertThat(Launcher.feature("unknown")).isZero();
    }
}
