package io.jenkins.plugins.fluxkontext.bench.perf;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * Where the benchmark's figures go: one {@code name=value} line each, printed the moment it is known so a long run
 * shows its progress. Lines starting with {@code #} say what a block of figures measured; they are not figures.
 */
final class Figures {

    private final PrintStream out;

    Figures(PrintStream out) {
        this.out = out;
    }

    void note(String text) {
        out.println("# " + text);
        out.flush();
    }

    void put(String name, Object value) {
        out.println(name + "=" + value);
        out.flush();
    }

    void millis(String name, Duration value) {
        put(name, value == null ? "n/a" : Long.toString(value.toMillis()));
    }

    void ratio(String name, double value) {
        put(name, String.format(Locale.ROOT, "%.3f", value));
    }

    void decimal(String name, double value) {
        put(name, String.format(Locale.ROOT, "%.1f", value));
    }
}
