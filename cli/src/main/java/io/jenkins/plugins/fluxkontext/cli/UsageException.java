package io.jenkins.plugins.fluxkontext.cli;

import java.util.List;

/**
 * The command line cannot be understood or is refused before anything is sent. Exit code 2. Holds every problem
 * found, each in the command line's own words (the flag as the user typed it), so all are fixed in one edit.
 */
final class UsageException extends Exception {

    private static final long serialVersionUID = 1L;

    UsageException(String problem) {
        this(List.of(problem));
    }

    UsageException(List<String> problems) {
        super(render(problems));
    }

    private static String render(List<String> problems) {
        if (problems.size() == 1) {
            return problems.get(0);
        }
        StringBuilder text = new StringBuilder(problems.size() + " problems:");
        for (String problem : problems) {
            text.append("\n  - ").append(problem);
        }
        return text.toString();
    }
}
