package io.jenkins.plugins.fluxkontext.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/** One in-process run of the command: its exit code and everything it printed. */
record CliRun(int exit, String out, String err) {

    static CliRun of(Path workingDir, Map<String, String> env, boolean terminal, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            exit = new FluxKontextCli(o, e, env, workingDir, terminal).run(args);
        }
        return new CliRun(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static CliRun of(Path workingDir, String... args) {
        return of(workingDir, Map.of(), false, args);
    }

    String all() {
        return out + err;
    }
}
