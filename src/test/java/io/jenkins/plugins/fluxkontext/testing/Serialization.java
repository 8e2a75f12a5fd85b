package io.jenkins.plugins.fluxkontext.testing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Java serialization, as remoting and the Pipeline program use it, for tests of what is stored or sent. */
public final class Serialization {

    private Serialization() {}

    public static byte[] serialize(Object o) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        return bytes.toByteArray();
    }

    @SuppressWarnings("unchecked")
    public static <T> T roundTrip(T o) throws Exception {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(serialize(o)))) {
            return (T) in.readObject();
        }
    }

    /** Declared types of every instance field reachable from {@code root} through the plugin's own classes. */
    public static Set<Class<?>> reachableFieldTypes(Class<?> root) {
        Set<Class<?>> seen = new HashSet<>();
        Deque<Class<?>> todo = new ArrayDeque<>(List.of(root));
        while (!todo.isEmpty()) {
            Class<?> c = todo.pop();
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || Modifier.isTransient(f.getModifiers())) {
                    continue;
                }
                Class<?> type = f.getType();
                if (seen.add(type) && type.getName().startsWith("io.jenkins.plugins.fluxkontext")) {
                    todo.push(type);
                }
            }
        }
        return seen;
    }
}
