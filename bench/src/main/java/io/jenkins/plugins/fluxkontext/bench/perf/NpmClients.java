package io.jenkins.plugins.fluxkontext.bench.perf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The providers' own npm clients ({@code @fal-ai/client}, {@code replicate}), installed by {@code scripts/bench} into
 * {@code bench/npm} and run with {@code node} against the same simulator as the engine: {@code bench/npm/clients.mjs}
 * runs their documented entry points with their defaults. Absent when there is no {@code node} or nothing installed;
 * the benchmark then says so and goes on.
 */
final class NpmClients {

    /** What one run of the script reported. */
    record Run(String client, String version, int succeeded, int failed, String errors) {}

    private final Path folder;
    private final String node;

    private NpmClients(Path folder, String node) {
        this.folder = folder;
        this.node = node;
    }

    /**
     * The clients installed in {@code folder}, run with {@code node} from the PATH; throws with the reason when they
     * cannot be run.
     */
    static NpmClients in(Path folder) {
        if (folder == null) {
            throw new IllegalStateException("no --npm folder given (scripts/bench gives it when node and npm exist)");
        }
        for (String module : List.of("@fal-ai/client", "replicate")) {
            if (!Files.isDirectory(folder.resolve("node_modules").resolve(module))) {
                throw new IllegalStateException(module + " is not installed in " + folder);
            }
        }
        String node = onPath("node");
        if (node == null) {
            throw new IllegalStateException("no node on the PATH");
        }
        return new NpmClients(folder, node);
    }

    private static String onPath(String command) {
        String path = System.getenv("PATH");
        for (String dir : path == null ? new String[0] : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, command);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    /** Runs {@code tasks} tasks at once through {@code client} ({@code fal} or {@code replicate}) at {@code base}. */
    Run run(String client, URI base, String key, int tasks, String prompt) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(
                        node,
                        folder.resolve("clients.mjs").toString(),
                        "--client",
                        client,
                        "--base",
                        base.toString(),
                        "--key",
                        key,
                        "--tasks",
                        Integer.toString(tasks),
                        "--prompt",
                        prompt)
                .directory(folder.toFile())
                .redirectErrorStream(true)
                .start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IOException("the " + client + " client did not finish within 5 minutes");
        }
        String text = new String(output, StandardCharsets.UTF_8).strip();
        String last = text.substring(text.lastIndexOf('\n') + 1);
        if (process.exitValue() != 0 || !last.startsWith("{")) {
            throw new IOException("the " + client + " client failed (exit " + process.exitValue() + "): " + text);
        }
        JsonNode json = new ObjectMapper().readTree(last);
        return new Run(
                json.path("client").asText(),
                json.path("version").asText(),
                json.path("succeeded").asInt(),
                json.path("failed").asInt(),
                json.path("errors").toString());
    }
}
