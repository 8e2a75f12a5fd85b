package io.jenkins.plugins.fluxkontext.core.budget;

import java.util.List;

/** Whether a request may be sent under the spending limits; a refusal carries the sentence for the build log. */
public sealed interface LimitDecision {

    boolean allowed();

    /** The request fits under every limit set. */
    record Allowed() implements LimitDecision {
        @Override
        public boolean allowed() {
            return true;
        }
    }

    /**
     * The request would pass a limit, or cannot be checked against one.
     *
     * @param fields  the limits in the way, by field name ({@link SpendingLimits#MAX_COST} ...)
     * @param message what it would cost, what has been spent of which limit, and what to do
     */
    record Refused(List<String> fields, String message) implements LimitDecision {
        public Refused {
            fields = List.copyOf(fields);
        }

        @Override
        public boolean allowed() {
            return false;
        }
    }
}
