package io.jenkins.plugins.fluxkontext.core.model;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown before any network call when a request cannot be honoured. Lists every problem at once,
 * so a user fixes the whole step in one edit.
 */
public class InvalidRequestException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final List<Violation> violations;

    public InvalidRequestException(List<Violation> violations) {
        super(render(violations));
        this.violations = List.copyOf(violations);
    }

    public InvalidRequestException(Violation violation) {
        this(List.of(violation));
    }

    public List<Violation> violations() {
        return violations;
    }

    private static String render(List<Violation> violations) {
        if (violations.size() == 1) {
            return "Invalid request: " + violations.get(0).message();
        }
        return "Invalid request (" + violations.size() + " problems):"
                + violations.stream().map(v -> "\n  - " + v.message()).collect(Collectors.joining());
    }
}
