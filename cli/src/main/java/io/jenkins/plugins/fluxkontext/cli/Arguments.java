package io.jenkins.plugins.fluxkontext.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A command's options as given: {@code --name value}, {@code --name=value} and {@code --flag}. Anything else (an
 * unknown option, a missing value, a stray word, a repeated single option) is a {@link UsageException}, so a typo
 * never runs a paid request with a default the user did not mean.
 */
final class Arguments {

    /**
     * Options that would put the API key on the command line, where shell history and process lists keep it. They
     * are refused with a pointer to the safe ways, and the value is never echoed.
     */
    private static final Set<String> KEY_FLAGS = Set.of("api-key", "key", "x-key", "token");

    private final Map<String, List<String>> values;

    private Arguments(Map<String, List<String>> values) {
        this.values = values;
    }

    static Arguments parse(String command, List<String> args, List<Option> options) throws UsageException {
        Map<String, Option> byName = new LinkedHashMap<>();
        options.forEach(o -> byName.put(o.name(), o));
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("-h")) {
                arg = "--help";
            }
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new UsageException("unexpected argument '" + arg + "'; options start with --. See: flux-kontext "
                        + command + " --help");
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (KEY_FLAGS.contains(name)) {
                throw new UsageException("the API key is never taken from a command-line flag (shell history and "
                        + "process lists would keep it); set FLUX_KONTEXT_API_KEY or use --api-key-file FILE");
            }
            Option option = byName.get(name);
            if (option == null) {
                throw new UsageException("unknown option --" + name + " for '" + command + "'. See: flux-kontext "
                        + command + " --help");
            }
            if (option.takesValue()) {
                if (value == null) {
                    if (i + 1 >= args.size()
                            || (args.get(i + 1).startsWith("--")
                                    && args.get(i + 1).length() > 2)) {
                        throw new UsageException("--" + name + " needs a value (" + option.valueName() + ")");
                    }
                    value = args.get(++i);
                }
            } else if (value != null) {
                throw new UsageException("--" + name + " takes no value");
            } else {
                value = "true";
            }
            List<String> list = values.computeIfAbsent(name, n -> new ArrayList<>());
            if (!list.isEmpty() && !option.repeatable()) {
                throw new UsageException("--" + name + " was given more than once");
            }
            list.add(value);
        }
        return new Arguments(values);
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

    String required(String name, String valueName) throws UsageException {
        String v = value(name);
        if (v == null || v.isBlank()) {
            throw new UsageException("--" + name + " " + valueName + " is required");
        }
        return v;
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
