package io.jenkins.plugins.fluxkontext;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.FilePath;
import io.jenkins.plugins.fluxkontext.agent.GenerateImagesCallable;
import io.jenkins.plugins.fluxkontext.agent.GenerationReport;
import io.jenkins.plugins.fluxkontext.agent.SavedTask;
import io.jenkins.plugins.fluxkontext.agent.TaskJournal;
import io.jenkins.plugins.fluxkontext.testing.Serialization;
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
        List<Class<?>> callables = pluginClasses().stream()
                .filter(FilePath.FileCallable.class::isAssignableFrom)
                .toList();
        assertThat(callables).contains(GenerateImagesCallable.class);
        for (Class<?> c : callables) {
            assertThat(MasterToSlaveFileCallable.class).as(c.getName()).isAssignableFrom(c);
            assertThat(c.isAnonymousClass() || (c.isMemberClass() && !Modifier.isStatic(c.getModifiers())))
                    .as(c.getName() + " must be a named static or top-level class")
                    .isFalse();
        }
    }

    @Test
    void theAgentJobCarriesOnlySerializableFields() {
        for (Field f : GenerateImagesCallable.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            // TaskListener and TaskJournal travel as remoting proxies of controller objects, not as copies.
            assertThat(f.getType().isPrimitive()
                            || java.io.Serializable.class.isAssignableFrom(f.getType())
                            || f.getType() == hudson.model.TaskListener.class
                            || f.getType() == TaskJournal.class)
                    .as(f.getName())
                    .isTrue();
        }
    }

    @Test
    void theAgentReachesTheControllerOnlyThroughTheJournalWithPlainValues() throws Exception {
        // No agent-to-controller Callable of any kind (reliability S-12).
        assertThat(pluginClasses()).noneMatch(c -> hudson.remoting.Callable.class.isAssignableFrom(c));
        assertThat(TaskJournal.class.isInterface()).isTrue();
        assertThat(java.lang.reflect.Modifier.isPublic(TaskJournal.class.getModifiers()))
                .as("exportable")
                .isTrue();
        for (java.lang.reflect.Method m : TaskJournal.class.getDeclaredMethods()) {
            assertThat(m.getReturnType()).as(m.getName()).isEqualTo(void.class);
            for (Class<?> p : m.getParameterTypes()) {
                assertThat(p.isPrimitive() || p == String.class || p == SavedTask.class || p == GenerationReport.class)
                        .as(m.getName() + " takes " + p.getName())
                        .isTrue();
            }
        }
        assertThat(Serialization.reachableFieldTypes(SavedTask.class))
                .allMatch(t -> t.isPrimitive() || t == String.class);
    }

    private static List<Class<?>> pluginClasses() throws Exception {
        Path root = Path.of(
                        RemotingCallablesTest.class.getResource("/index.jelly").toURI())
                .getParent();
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.toString().endsWith(".class"))
                    .map(f -> root.relativize(f).toString().replace('/', '.').replace(".class", ""))
                    .map(RemotingCallablesTest::load)
                    .toList();
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
