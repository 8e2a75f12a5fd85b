package io.jenkins.plugins.fluxkontext.spending;

import hudson.model.Cause;
import hudson.model.Run;
import io.jenkins.plugins.fluxkontext.core.budget.SpendingScope;
import java.util.List;

/** Who or what started a build, as the spending tables name it: a user's id, or the cause as Jenkins words it. */
public final class StartedBy {

    private StartedBy() {}

    /**
     * {@code alice} when a user started the build (the user id, which stays when the display name changes), else
     * the first cause's description, e.g. {@code Started by timer}.
     */
    public static String of(Run<?, ?> run) {
        List<Cause> causes = run.getCauses();
        for (Cause cause : causes) {
            if (cause instanceof Cause.UserIdCause user) {
                return user.getUserId() == null ? "anonymous" : user.getUserId();
            }
        }
        return causes.isEmpty() ? SpendingScope.UNKNOWN_STARTER : causes.get(0).getShortDescription();
    }
}
