package io.jenkins.plugins.fluxkontext.simulator;

import java.util.Set;

/** Which keys the simulated account accepts. Keys are compared, never logged or echoed. */
final class ApiKeys {

    enum Verdict {
        ACCEPTED,
        MISSING,
        REFUSED
    }

    private final Set<String> accepted;

    ApiKeys(Set<String> accepted) {
        this.accepted = Set.copyOf(accepted);
    }

    Verdict check(String presented) {
        if (presented == null || presented.isBlank()) {
            return Verdict.MISSING;
        }
        if (accepted.isEmpty() || accepted.contains(presented.strip())) {
            return Verdict.ACCEPTED;
        }
        return Verdict.REFUSED;
    }
}
