package io.jenkins.plugins.fluxkontext.core.provider;

import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome.ModerationSide;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome.RejectionKind;

/**
 * Why the provider refused a submit outright (a 4xx that proves nothing was created), in its own words.
 * {@code moderation} is set when the refusal is the provider's content moderation (ToAPIs answers a moderated
 * request with HTTP 422 {@code content_policy_violation}): the task then ends as moderated, not as an invalid request.
 */
public record SubmitRefusal(RejectionKind kind, String reason, ModerationSide moderation) {

    public SubmitRefusal(RejectionKind kind, String reason) {
        this(kind, reason, null);
    }

    /** Moderation refused the request before any task was created, so nothing was billed. */
    public static SubmitRefusal moderated(ModerationSide side, String reason) {
        return new SubmitRefusal(RejectionKind.INVALID_REQUEST, reason, side);
    }
}
