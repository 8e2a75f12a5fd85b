package io.jenkins.plugins.fluxkontext.core.budget;

import io.jenkins.plugins.fluxkontext.core.model.Violation;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The price table text has lines that cannot be read. Lists every bad line at once, each naming its line number,
 * the word that is wrong and what is allowed, so an administrator fixes the whole textarea in one edit.
 */
public class PriceTableException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final List<Violation> problems;

    public PriceTableException(List<Violation> problems) {
        super(render(problems));
        this.problems = List.copyOf(problems);
    }

    public List<Violation> problems() {
        return problems;
    }

    private static String render(List<Violation> problems) {
        if (problems.size() == 1) {
            return "Price table: " + problems.get(0).message();
        }
        return "Price table (" + problems.size() + " problems):"
                + problems.stream().map(v -> "\n  - " + v.message()).collect(Collectors.joining());
    }
}
