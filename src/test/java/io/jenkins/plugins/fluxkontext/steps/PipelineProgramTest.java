package io.jenkins.plugins.fluxkontext.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.fluxkontext.agent.SavedTask;
import io.jenkins.plugins.fluxkontext.core.task.TaskHandle;
import io.jenkins.plugins.fluxkontext.generation.StepCheckpoint;
import io.jenkins.plugins.fluxkontext.generation.StepJournal;
import io.jenkins.plugins.fluxkontext.parameters.StepSettings;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Serializable;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jboss.marshalling.ChainingObjectResolver;
import org.jboss.marshalling.Marshaller;
import org.jboss.marshalling.Marshalling;
import org.jboss.marshalling.MarshallingConfiguration;
import org.jboss.marshalling.ObjectResolver;
import org.jboss.marshalling.SimpleClassResolver;
import org.jboss.marshalling.Unmarshaller;
import org.jboss.marshalling.river.RiverMarshallerFactory;
import org.junit.jupiter.api.Test;

/**
 * The step execution as the Pipeline program stores it ({@code program.dat}): with JBoss Marshalling River 2.3.0,
 * configured as workflow-support 1015.v785e5a_b_b_8b_22 configures it. {@code RiverWriter}: a
 * {@code MarshallingConfiguration} whose {@code ObjectResolver} hands each object to the pickle factories (for
 * Jenkins objects such as a workspace or an executor) and keeps it otherwise. {@code RiverReader}: a
 * {@code SimpleClassResolver} on the plugin's class loader, and a chain of object resolvers that put the pickles back.
 * Nothing of the step execution may need a pickle: what it stores is plain values, and it takes the build, the
 * workspace and the log from its context each time it runs.
 */
class PipelineProgramTest {

    static final Instant SENT = Instant.parse("2026-08-20T10:15:30Z");

    /** A running step as it is when the program is saved: its settings, the agent job sent, one task accepted. */
    private static FluxKontextStepExecution running() throws Exception {
        FluxKontextStepExecution execution = allocate(FluxKontextStepExecution.class);
        StepCheckpoint checkpoint = new StepCheckpoint(StepSettings.generate("a lighthouse at dusk")
                .credentialsId("flux-key")
                .count(2)
                .timeoutSeconds(900)
                .pricePerImage(new BigDecimal("0.08")));
        checkpoint.agentJobSent(SENT);
        new StepJournal("bfl", 2, checkpoint, () -> {})
                .accepted(SavedTask.of(TaskHandle.of(
                        "bfl", "task-1", "https://api.eu1.bfl.ai/v1/get_result?id=task-1", 1, SENT.plusSeconds(1))));
        Field f = FluxKontextStepExecution.class.getDeclaredField("checkpoint");
        f.setAccessible(true);
        f.set(execution, checkpoint);
        return execution;
    }

    @Test
    void aRunningStepIsReadBackWithItsTasksAndSaysWhereItWillResume() throws Exception {
        FluxKontextStepExecution before = running();

        FluxKontextStepExecution after = (FluxKontextStepExecution) read(write(before));

        StepCheckpoint checkpoint = checkpointOf(after);
        assertThat(checkpoint.taskIds()).containsExactly("task-1");
        assertThat(checkpoint.startedAt()).isEqualTo(SENT);
        assertThat(checkpoint.jobKey()).isEqualTo(checkpointOf(before).jobKey());
        assertThat(checkpoint.settings().credentialsId()).isEqualTo("flux-key");
        // readResolve ran: the step reports that it waits for its agent, not that it has not started.
        assertThat(after.getStatus()).startsWith("waiting for the agent to come back");
    }

    /**
     * Declared types, not only this instance's values: a field that is null here (a Run, a workspace, a listener) is
     * not null in a running build, and River would refuse it there, or pickle a Jenkins object that is gone after a
     * restart.
     */
    @Test
    void everyStoredFieldHoldsPlainValuesOrThePluginsOwnSerializableClasses() {
        List<String> problems = new ArrayList<>();
        for (Field f : storedFields(FluxKontextStepExecution.class)) {
            Class<?> type = f.getType();
            boolean plain = type.isPrimitive()
                    || type == String.class
                    || Number.class.isAssignableFrom(type)
                    || type.isEnum()
                    || type == List.class
                    || type == ArrayList.class;
            boolean own = type.getName().startsWith("io.jenkins.plugins.fluxkontext.")
                    && Serializable.class.isAssignableFrom(type);
            if (!plain && !own) {
                problems.add(f.getDeclaringClass().getSimpleName() + "." + f.getName() + " is a " + type.getName());
            }
        }
        assertThat(problems)
                .as("fields stored with the Pipeline program that are not plain values (take Jenkins objects from the"
                        + " step's context when it runs; keep other state transient)")
                .isEmpty();
    }

    // ------------------------------------------------------------------ River as workflow-support uses it

    /** {@code RiverWriter}: the object resolver is where pickle factories replace Jenkins objects. */
    private static byte[] write(Object program) throws Exception {
        List<Object> needPickles = new ArrayList<>();
        MarshallingConfiguration config = new MarshallingConfiguration();
        config.setObjectResolver(new ObjectResolver() {
            @Override
            public Object readResolve(Object o) {
                throw new IllegalStateException();
            }

            @Override
            public Object writeReplace(Object o) {
                String name = o.getClass().getName();
                if (name.startsWith("hudson.") || name.startsWith("jenkins.") || name.startsWith("org.jenkinsci.")) {
                    needPickles.add(o);
                }
                return o;
            }
        });
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Marshaller marshaller = new RiverMarshallerFactory().createMarshaller(config);
        marshaller.start(Marshalling.createByteOutput(bytes));
        marshaller.writeObject(program);
        marshaller.finish();
        assertThat(needPickles).as("Jenkins objects in the stored step").isEmpty();
        return bytes.toByteArray();
    }

    /** {@code RiverReader}: the plugin's class loader, and resolvers chained as it chains them. */
    private static Object read(byte[] bytes) throws Exception {
        ObjectResolver owner = new ObjectResolver() {
            @Override
            public Object readResolve(Object replacement) {
                return replacement;
            }

            @Override
            public Object writeReplace(Object original) {
                throw new IllegalStateException();
            }
        };
        MarshallingConfiguration config = new MarshallingConfiguration();
        config.setClassResolver(new SimpleClassResolver(PipelineProgramTest.class.getClassLoader()));
        config.setObjectResolver(new ChainingObjectResolver(List.of(owner)));
        Unmarshaller unmarshaller = new RiverMarshallerFactory().createUnmarshaller(config);
        unmarshaller.start(Marshalling.createByteInput(new ByteArrayInputStream(bytes)));
        try {
            return unmarshaller.readObject();
        } finally {
            unmarshaller.finish();
        }
    }

    // ------------------------------------------------------------------ reflection

    private static StepCheckpoint checkpointOf(FluxKontextStepExecution execution) throws Exception {
        Field f = FluxKontextStepExecution.class.getDeclaredField("checkpoint");
        f.setAccessible(true);
        return (StepCheckpoint) f.get(execution);
    }

    /** Every non-static, non-transient field River writes, from the execution through the plugin's own classes. */
    private static List<Field> storedFields(Class<?> root) {
        List<Field> fields = new ArrayList<>();
        Set<Class<?>> seen = new HashSet<>();
        Deque<Class<?>> todo = new ArrayDeque<>(List.of(root));
        while (!todo.isEmpty()) {
            Class<?> c = todo.pop();
            if (!seen.add(c)) {
                continue;
            }
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || Modifier.isTransient(f.getModifiers())) {
                    continue;
                }
                fields.add(f);
                if (f.getType().getName().startsWith("io.jenkins.plugins.fluxkontext.")) {
                    todo.push(f.getType());
                }
            }
        }
        return fields;
    }

    /** As River makes an object it reads: no constructor of the execution's Jenkins superclass runs. */
    private static <T> T allocate(Class<T> type) {
        return type.cast(
                new com.thoughtworks.xstream.XStream().getReflectionProvider().newInstance(type));
    }
}
