package io.jenkins.plugins.fluxkontext.core.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.fluxkontext.core.model.KontextModel;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderEndpoint;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How long tasks took, by provider, host and model, on this machine: what the poll schedule expects of a task whose
 * provider reports no progress ({@link #expected}). Kept, when given a folder, in one small JSON file there
 * ({@value #FILE_NAME}) that holds provider ids, host names, model ids and durations in milliseconds, nothing else
 * (never a key, a prompt or a URL path). The file is a cache: a missing, unreadable or corrupt one counts as empty and
 * is rewritten whole; writers in other processes are kept apart by a lock file and an atomic rename; a folder that
 * cannot be written leaves the durations in memory, and the engine works as before. Thread-safe.
 */
public final class TaskDurations {

    static final String FILE_NAME = "task-durations.json";
    private static final String LOCK_NAME = "task-durations.lock";
    /** The most recent durations kept per provider, host and model. */
    static final int MAX_SAMPLES = 200;
    /** Providers, hosts and models kept; the longest unused go first. */
    static final int MAX_KEYS = 64;
    /** Durations outside this are not a task's (a clock jump, a hand-edited file). */
    private static final long MAX_MILLIS = Duration.ofHours(6).toMillis();

    private static final long LOCK_WAIT_MILLIS = 2000;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** One saver at a time in this JVM: a file lock is held per JVM, not per thread. */
    private static final Object SAVING = new Object();

    private final Path folder;
    private final Clock clock;
    private final Map<String, Deque<Long>> known = new HashMap<>();
    private final Map<String, List<Long>> unsaved = new LinkedHashMap<>();
    private boolean loaded;

    private TaskDurations(Path folder, Clock clock) {
        this.folder = folder;
        this.clock = clock;
    }

    /** Durations for this engine's life only. */
    public static TaskDurations inMemory() {
        return new TaskDurations(null, Clock.systemUTC());
    }

    /** Durations read from and saved to {@value #FILE_NAME} in {@code folder}, which is created when needed. */
    public static TaskDurations keptIn(Path folder) {
        return new TaskDurations(folder, Clock.systemUTC());
    }

    static TaskDurations keptIn(Path folder, Clock clock) {
        return new TaskDurations(folder, clock);
    }

    /**
     * Durations kept in {@code folder}, or in memory when it is {@code null} (no cache folder for this user), e.g.
     * {@code keptInOrMemory(userCacheFolder(System.getenv()))}.
     */
    public static TaskDurations keptInOrMemory(Path folder) {
        return folder == null ? inMemory() : keptIn(folder);
    }

    /**
     * The per-user cache folder for these durations, from {@code env}: {@code $XDG_CACHE_HOME/flux-kontext}, else
     * {@code $HOME/.cache/flux-kontext}, else {@code %LOCALAPPDATA%\flux-kontext}; {@code null} when none is set.
     */
    public static Path userCacheFolder(Map<String, String> env) {
        for (String[] candidate : new String[][] {{"XDG_CACHE_HOME", ""}, {"HOME", ".cache"}, {"LOCALAPPDATA", ""}}) {
            String base = env.get(candidate[0]);
            if (base != null && !base.isBlank()) {
                Path root = Path.of(base);
                if (root.isAbsolute()) {
                    return (candidate[1].isEmpty() ? root : root.resolve(candidate[1])).resolve("flux-kontext");
                }
            }
        }
        return null;
    }

    /** The file the durations are kept in, or {@code null} when they are kept in memory only. */
    public Path file() {
        return folder == null ? null : folder.resolve(FILE_NAME);
    }

    /** What the durations of {@code endpoint}'s provider and host for {@code model} are kept under. */
    public static String key(ProviderEndpoint endpoint, KontextModel model) {
        return endpoint.dialect().id() + " " + endpoint.base().host() + " " + model.id();
    }

    /** The distribution of the durations seen under {@code key}, the prior while there are none. */
    public synchronized ExpectedDuration expected(String key) {
        loadOnce();
        Deque<Long> past = known.get(key);
        return past == null ? ExpectedDuration.PRIOR : ExpectedDuration.fit(past);
    }

    /** Adds how long one task under {@code key} took, from its submit to its end; kept by the next {@link #save}. */
    public synchronized void record(String key, Duration took) {
        long millis = took.toMillis();
        if (millis <= 0 || millis > MAX_MILLIS) {
            return;
        }
        loadOnce();
        append(known.computeIfAbsent(key, k -> new ArrayDeque<>()), millis);
        unsaved.computeIfAbsent(key, k -> new ArrayList<>()).add(millis);
    }

    /**
     * Writes the durations recorded since the last save into the file, merged with what other runs wrote there
     * meanwhile. Returns whether they are now in the file; a failure (no folder, no permission, a lock held too long)
     * keeps them in memory and is otherwise silent: a cache must never fail a build.
     */
    public boolean save() {
        Map<String, List<Long>> toWrite;
        synchronized (this) {
            if (folder == null || unsaved.isEmpty()) {
                return folder != null;
            }
            toWrite = new LinkedHashMap<>(unsaved);
        }
        synchronized (SAVING) {
            try {
                Files.createDirectories(folder);
                try (FileChannel lockFile = FileChannel.open(
                                folder.resolve(LOCK_NAME), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                        FileLock lock = lockWithin(lockFile)) {
                    if (lock == null) {
                        return false;
                    }
                    Map<String, Entry> onDisk = read(file());
                    long now = clock.millis();
                    toWrite.forEach((key, millis) -> {
                        Entry entry = onDisk.computeIfAbsent(key, k -> new Entry(new ArrayDeque<>(), now));
                        millis.forEach(ms -> append(entry.millis, ms));
                        onDisk.put(key, new Entry(entry.millis, now));
                    });
                    write(newestFirst(onDisk));
                    synchronized (this) {
                        toWrite.forEach((key, millis) -> {
                            List<Long> pending = unsaved.get(key);
                            if (pending != null) {
                                pending.subList(0, Math.min(millis.size(), pending.size()))
                                        .clear();
                                if (pending.isEmpty()) {
                                    unsaved.remove(key);
                                }
                            }
                        });
                        onDisk.forEach((key, entry) -> {
                            if (!unsaved.containsKey(key)) {
                                known.put(key, new ArrayDeque<>(entry.millis));
                            }
                        });
                    }
                    return true;
                }
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }
    }

    private static FileLock lockWithin(FileChannel channel) throws IOException {
        long giveUp = System.nanoTime() + LOCK_WAIT_MILLIS * 1_000_000;
        while (true) {
            FileLock lock = channel.tryLock();
            if (lock != null || System.nanoTime() > giveUp) {
                return lock;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    private void loadOnce() {
        if (loaded) {
            return;
        }
        loaded = true;
        if (folder != null) {
            read(file()).forEach((key, entry) -> known.put(key, entry.millis));
        }
    }

    private static void append(Deque<Long> millis, long ms) {
        millis.addLast(ms);
        while (millis.size() > MAX_SAMPLES) {
            millis.removeFirst();
        }
    }

    /** One key's durations, oldest first, and when a run last added to them. */
    private record Entry(Deque<Long> millis, long updated) {}

    /** The file's durations; empty when the file is missing or not what this class writes. */
    private static Map<String, Entry> read(Path file) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        JsonNode root;
        try {
            if (!Files.isRegularFile(file)) {
                return entries;
            }
            root = JSON.readTree(file.toFile());
        } catch (IOException | RuntimeException e) {
            return entries;
        }
        JsonNode durations = root == null ? null : root.get("durations");
        if (durations == null || !durations.isObject()) {
            return entries;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = durations.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode millis = field.getValue().path("ms");
            Deque<Long> kept = new ArrayDeque<>();
            for (JsonNode ms : millis) {
                if (ms.canConvertToLong() && ms.asLong() > 0 && ms.asLong() <= MAX_MILLIS) {
                    append(kept, ms.asLong());
                }
            }
            if (!kept.isEmpty() && field.getKey().length() <= 300) {
                entries.put(
                        field.getKey(),
                        new Entry(kept, field.getValue().path("updated").asLong(0)));
            }
        }
        return entries;
    }

    private static Map<String, Entry> newestFirst(Map<String, Entry> entries) {
        Map<String, Entry> kept = new LinkedHashMap<>();
        entries.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue().updated, a.getValue().updated))
                .limit(MAX_KEYS)
                .forEach(e -> kept.put(e.getKey(), e.getValue()));
        return kept;
    }

    private void write(Map<String, Entry> entries) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", 1);
        ObjectNode durations = root.putObject("durations");
        entries.forEach((key, entry) -> {
            ObjectNode node = durations.putObject(key);
            node.put("updated", entry.updated);
            entry.millis.forEach(node.putArray("ms")::add);
        });
        Path temporary = Files.createTempFile(folder, "task-durations", ".tmp");
        try {
            JSON.writeValue(temporary.toFile(), root);
            try {
                Files.move(temporary, file(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file(), StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
