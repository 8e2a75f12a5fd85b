package io.jenkins.plugins.fluxkontext;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.FilePath;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import jenkins.MasterToSlaveFileCallable;
import org.junit.jupiter.api.Test;

/** Only the controller may send work to an agent, and nothing secret or non-serializable rides along by accident. */
class RemotingCallablesTest {

    @Test
    void everyFileCallableRunsControllerToAgentOnly() throws Exception {
        List<Class<?>> callables = pluginClasses().stream().filter(FilePath.FileCallable.class::isAssignableFrom).toList();
        assertThat(callables).contains(GenerateImagesCallable.class);
        for (Class<?> c : callables) {
            assertThat(MasterToSlaveFileCallable.class).as(c.getName()).isAssignableFrom(c);
            assertThat(c.isAnonymousClass() || (c.isMemberClass() && !Modifier.isStatic(c.getModifiers())))
                    .as(c.getName() + " must be a named static or top-level class").isFalse();
        }
    }

    @Test
    void theAgentJobCarriesOnlySerializableFields() {
        for (Field f : GenerateImagesCallable.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            assertThat(java.io.Serializable.class.isAssignableFrom(f.getType())
                    || f.getType() == hudson.model.TaskListener.class).as(f.getName()).isTrue();
        }
    }

    private static List<Class<?>> pluginClasses() throws Exception {
        Path root = Path.of(RemotingCallablesTest.class.getResource("/index.jelly").toURI()).getParent();
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.toString().endsWith(".class"))
                    .map(f -> root.relativize(f).toString().replace('/', '.').replace(".class", ""))
                    .map(RemotingCallablesTest::load).toList();
        }
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, RemotingCallablesTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }
}
