package io.jenkins.plugins.fluxkontext.core.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.jenkins.plugins.fluxkontext.core.provider.ApiKey;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Proves that an object keeps no secret: not as an {@link ApiKey}, not in a string, not in bytes. */
public final class ReachableSecrets {

    private ReachableSecrets() {}

    /**
     * Walks every object reachable from {@code root} (our classes by reflection, JDK collections through their
     * public API) and fails if an {@link ApiKey} or a string holding a secret is among them.
     */
    public static void assertNoSecretReachable(Object root, String... secrets) throws IllegalAccessException {
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Object> todo = new ArrayList<>(List.of(root));
        while (!todo.isEmpty()) {
            Object o = todo.remove(todo.size() - 1);
            if (o == null || !seen.add(o)) {
                continue;
            }
            if (o instanceof ApiKey) {
                fail("an ApiKey is reachable from " + root.getClass().getSimpleName());
            }
            if (o instanceof String s) {
                for (String secret : secrets) {
                    assertThat(s).doesNotContain(secret);
                }
                continue;
            }
            if (o instanceof byte[] bytes) {
                for (String secret : secrets) {
                    assertThat(new String(bytes, StandardCharsets.UTF_8)).doesNotContain(secret);
                }
                continue;
            }
            if (o instanceof Map<?, ?> map) {
                todo.addAll(map.keySet());
                todo.addAll(map.values());
                continue;
            }
            if (o instanceof Collection<?> collection) {
                todo.addAll(collection);
                continue;
            }
            if (o.getClass().getName().startsWith("java.")
                    || o.getClass().getName().startsWith("javax.")
                    || o.getClass().getName().startsWith("jdk.")
                    || o.getClass().getName().startsWith("sun.")) {
                continue;
            }
            for (Class<?> c = o.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) {
                        continue;
                    }
                    f.setAccessible(true);
                    todo.add(f.get(o));
                }
            }
        }
        assertThat(seen).as("the walk reached the throttle's queues").hasSizeGreaterThan(3);
    }
}
