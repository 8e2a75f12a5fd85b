package io.jenkins.plugins.fluxkontext.parameters;

import io.jenkins.plugins.fluxkontext.core.model.InvalidRequestException;
import io.jenkins.plugins.fluxkontext.core.model.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** The problems of a step's settings, gathered in order, so that the step names all of them and not only the first. */
final class SettingsProblems {

    private final List<Violation> found = new ArrayList<>();

    /** What {@code check} returns, or {@code null} with its violations kept. */
    <T> T from(Supplier<T> check) {
        try {
            return check.get();
        } catch (InvalidRequestException e) {
            found.addAll(e.violations());
            return null;
        }
    }

    /** Keeps {@code problem}; {@code null} is no problem. */
    void add(Violation problem) {
        if (problem != null) {
            found.add(problem);
        }
    }

    /** Keeps those of {@code problems} not said already, such as one a provider finds in each of several formats. */
    void addNew(List<Violation> problems) {
        problems.stream().filter(v -> !found.contains(v)).forEach(found::add);
    }

    /** @throws InvalidRequestException naming every problem kept, in order */
    void throwIfAny() {
        if (!found.isEmpty()) {
            throw new InvalidRequestException(found);
        }
    }
}
