package io.jenkins.plugins.fluxkontext.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A command's options as given: {@code --name value}, {@code --name=value} and {@code --flag}. Anything else (an
 * unknown option, a missing value, a stray word, a repeated single option) is a {@link UsageException}, so a typo
 * never runs a paid request with a default the user did not mean; a near miss gets a suggestion.
 */
final class Arguments {

    /**
     * Options that would put the API key on the command line, where shell history and process lists keep it. They
     * are refused with a pointer to the safe ways, and the value is never echoed.
     */
    private static final Set<String> KEY_FLAGS = Set.of("api-key", "key", "x-key", "token");

    private final Map<String, List<String>> values;
    private final List<String> problems;

    private Arguments(Map<String, List<String>> values, List<String> problems) {
        this.values = values;
        this.problems = List.copyOf(problems);
    }

    /**
     * Reads {@code args} against {@code options}, collecting every problem in {@link #problems()} rather than stopping
     * at the first, so a command can report them together with the problems of the values.
     */
    static Arguments parse(String command, List<String> args, List<Option> options) {
        Map<String, Option> byName = new LinkedHashMap<>();
        options.forEach(o -> byName.put(o.name(), o));
        Map<String, List<String>> values = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("-h")) {
                arg = "--help";
            }
            if (!isOption(arg)) {
                problems.add("unexpected argument '" + arg + "'; options start with -- (flux-kontext " + command
                        + " --help lists them)");
                continue;
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            boolean nextIsValue = i + 1 < args.size() && !isOption(args.get(i + 1));
            if (KEY_FLAGS.contains(name)) {
                problems.add("--" + name + ": the API key is never taken from a command-line flag (shell history and "
                        + "process lists would keep it); set FLUX_KONTEXT_API_KEY or use --api-key-file FILE");
                if (value == null && nextIsValue) {
                    i++; // the key itself: never echoed as a stray argument
                }
                continue;
            }
            Option option = byName.get(name);
            if (option == null) {
                problems.add(unknown(command, name, byName.keySet()));
                if (value == null && nextIsValue) {
                    i++; // most likely its value; one message for the typo is enough
                }
                continue;
            }
            if (option.takesValue()) {
                if (value == null) {
                    if (!nextIsValue) {
                        problems.add("--" + name + " needs a value (" + option.valueName() + ")");
                        continue;
                    }
                    value = args.get(++i);
                }
            } else if (value != null) {
                problems.add("--" + name + " takes no value");
                continue;
            } else {
                value = "true";
            }
            List<String> list = values.computeIfAbsent(name, n -> new ArrayList<>());
            if (!list.isEmpty() && !option.repeatable()) {
                problems.add("--" + name + " was given more than once");
                continue;
            }
            list.add(value);
        }
        return new Arguments(values, problems);
    }

    /** What could not be understood: unknown options (with a suggestion when one is near), missing values, .... */
    List<String> problems() {
        return problems;
    }

    /** For commands with nothing more to check: refuses what could not be understood. */
    Arguments understood() throws UsageException {
        if (!problems.isEmpty()) {
            throw new UsageException(problems);
        }
        return this;
    }

    private static boolean isOption(String arg) {
        return arg.startsWith("--") && arg.length() > 2;
    }

    private static String unknown(String command, String name, Set<String> known) {
        return DidYouMean.among(name, known)
                .map(near -> "unknown option --" + name + "; did you mean --" + near + "?")
                .orElse("unknown option --" + name + " for " + command + " (flux-kontext " + command
                        + " --help lists the options)");
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    /** The value, or {@code null} when the option was not given. */
    String value(String name) {
        List<String> list = values.get(name);
        return list == null ? null : list.get(0);
    }

    List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    /** A whole number, or {@code null} when absent. */
    Long number(String name) throws UsageException {
        String v = value(name);
        if (v == null) {
            return null;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " needs a whole number, not '" + v + "'");
        }
    }
}
