package io.jenkins.plugins.fluxkontext.simulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the simulator's words out of a prompt. Grammar: {@code [sim:WORD]} or {@code [sim:WORD=VALUE]}, several
 * per bracket separated by commas ({@code [sim:latency=3s,fail]}), any number of brackets anywhere in the prompt.
 * Durations are {@code 250ms}, {@code 3s}, {@code 2m}. An unknown word is an error, so a typo never silently
 * turns a fault test into a plain success.
 *
 * @param text   the prompt without the words, as it is drawn into the image
 * @param script what the words ask for
 */
public record PromptWords(String text, TaskScript script) {

    private static final Pattern BRACKET = Pattern.compile("\\[sim:([^\\]]*)\\]", Pattern.CASE_INSENSITIVE);
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m)");

    /** A prompt word the simulator does not know, or a value it cannot read. */
    public static final class UnknownWordException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        UnknownWordException(String message) {
            super(message);
        }
    }

    public static PromptWords parse(String prompt) {
        if (prompt == null) {
            return new PromptWords("", TaskScript.PLAIN);
        }
        TaskScript script = TaskScript.PLAIN;
        List<Fault> faults = new ArrayList<>();
        Matcher m = BRACKET.matcher(prompt);
        while (m.find()) {
            for (String item : m.group(1).split(",")) {
                String word = item.trim().toLowerCase(Locale.ROOT);
                if (word.isEmpty()) {
                    continue;
                }
                String value = null;
                int eq = word.indexOf('=');
                if (eq >= 0) {
                    value = word.substring(eq + 1).trim();
                    word = word.substring(0, eq).trim();
                }
                if (word.equals("latency")) {
                    script = script.withLatency(duration(word, value));
                    continue;
                }
                Fault fault = Fault.fromWord(word);
                if (fault == null) {
                    throw new UnknownWordException(
                            "unknown simulator word '" + word + "'; use latency=DURATION or one of " + Fault.words());
                }
                faults.add(fault);
                if (value != null) {
                    script = switch (fault) {
                        case RATE_LIMIT -> script.withRateLimitedSubmits(count(word, value));
                        case SERVER_ERROR_POLL -> script.withFailingPolls(count(word, value));
                        case SLOW_BODY -> script.withSlowBody(duration(word, value));
                        default -> throw new UnknownWordException("simulator word '" + word + "' takes no value");
                    };
                }
            }
        }
        String text = BRACKET.matcher(prompt)
                .replaceAll("")
                .replaceAll("\\s{2,}", " ")
                .strip();
        return new PromptWords(text, script.with(faults.isEmpty() ? Set.of() : EnumSet.copyOf(faults)));
    }

    static Duration duration(String word, String value) {
        Matcher d = value == null ? null : DURATION.matcher(value);
        if (d == null || !d.matches()) {
            throw new UnknownWordException("simulator word '" + word + "' needs a duration such as 250ms, 3s or 2m");
        }
        long n = Long.parseLong(d.group(1));
        return switch (d.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            default -> Duration.ofMinutes(n);
        };
    }

    private static int count(String word, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new UnknownWordException("simulator word '" + word + "' needs a whole number, not '" + value + "'");
    }
}
