package io.jenkins.plugins.fluxkontext.core.provider;

import io.jenkins.plugins.fluxkontext.core.model.Redaction;
import io.jenkins.plugins.fluxkontext.core.task.Billing;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome.RejectionKind;

/** What an HTTP status code means on its own, the same for every provider whose contract says nothing more. */
public final class HttpAnswers {

    private HttpAnswers() {}

    /** A refused submit: 401/403 the key, 402 credits, 400/422 the request, 404 the base URL, 3xx a redirect. */
    public static SubmitRefusal refusal(ProviderReply reply) {
        RejectionKind kind =
                switch (reply.code()) {
                    case 401, 403 -> RejectionKind.AUTHENTICATION;
                    case 402 -> RejectionKind.INSUFFICIENT_CREDITS;
                    case 400, 422 -> RejectionKind.INVALID_REQUEST;
                    default -> RejectionKind.OTHER;
                };
        String reason = ReplyJson.errorText(reply);
        if (reply.code() == 404) {
            reason = "no such endpoint at this base URL" + (reason == null ? "" : " (" + reason + ")");
        } else if (reply.code() >= 300 && reply.code() < 400) {
            reason = "redirected to " + Redaction.withoutQuery(reply.header("Location"))
                    + "; set the base URL to the API's own address";
        }
        return new SubmitRefusal(kind, reason);
    }

    /** A status answer that is not 2xx: 404 the task is unknown, 401/403 the key, anything else a failure. */
    public static PollOutcome pollFailure(ProviderReply reply) {
        String detail = ReplyJson.errorText(reply);
        return switch (reply.code()) {
            case 404 -> new PollOutcome.NotFound("HTTP 404", detail);
            case 401, 403 ->
                new PollOutcome.Failed(
                        "HTTP " + reply.code(),
                        "auth",
                        "the status request was refused; check the credential" + (detail == null ? "" : ": " + detail),
                        Billing.MAYBE_BILLED);
            default ->
                new PollOutcome.Failed(
                        "HTTP " + reply.code(),
                        "HTTP " + reply.code(),
                        "the status request was refused" + (detail == null ? "" : ": " + detail),
                        Billing.MAYBE_BILLED);
        };
    }

    /** The outcome for a status string this plugin does not know: a failure, never "keep polling". */
    public static PollOutcome unknownStatus(String status) {
        return new PollOutcome.Failed(
                status,
                "unknown status",
                "the provider answered with status \"" + ReplyJson.shorten(status)
                        + "\", which this plugin does not know",
                Billing.MAYBE_BILLED);
    }
}
