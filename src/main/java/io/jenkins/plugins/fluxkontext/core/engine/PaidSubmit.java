package io.jenkins.plugins.fluxkontext.core.engine;

import static io.jenkins.plugins.fluxkontext.core.engine.Submission.ended;

import io.jenkins.plugins.fluxkontext.core.engine.InFlightCalls.DeadlinePassed;
import io.jenkins.plugins.fluxkontext.core.engine.InFlightCalls.Flight;
import io.jenkins.plugins.fluxkontext.core.engine.InFlightCalls.TransportFailure;
import io.jenkins.plugins.fluxkontext.core.model.Redaction;
import io.jenkins.plugins.fluxkontext.core.provider.MalformedReplyException;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderDialect;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderReply;
import io.jenkins.plugins.fluxkontext.core.provider.SubmitAccepted;
import io.jenkins.plugins.fluxkontext.core.provider.SubmitRefusal;
import io.jenkins.plugins.fluxkontext.core.provider.TaskSpec;
import io.jenkins.plugins.fluxkontext.core.task.Billing;
import io.jenkins.plugins.fluxkontext.core.task.TaskHandle;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome.RejectionKind;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The submit step: the one request that may bill. It is sent again only when it provably never reached the provider
 * or the provider refused it for rate limits (a 429, or an answer its dialect documents as creating nothing:
 * {@link ProviderDialect#refusedBeforeAnyTask}); every other answer that is not clear ends the task as
 * {@link TaskOutcome.SubmitAmbiguous} rather than risk a second bill.
 */
final class PaidSubmit {

    private final RunContext run;

    PaidSubmit(RunContext run) {
        this.run = run;
    }

    /**
     * Sends the paid submit at most once in the sense that matters: it is repeated only when it provably never
     * reached the provider (no byte of it went out) or the provider answered 429 or another refusal its dialect
     * documents as creating nothing. Everything else
     * that is not a clear answer is {@link TaskOutcome.SubmitAmbiguous}.
     */
    Submission send(TaskPlan.Task task, TaskState state) throws InterruptedException {
        TaskSpec spec = task.spec();
        GenerationEngine engine = run.engine();
        ProviderDialect dialect = run.dialect();
        Scrubber scrubber = run.scrubber();
        Deadline deadline = run.deadline();
        RetryPolicy policy = engine.retryPolicy();
        int index = spec.index();
        int connectFailures = 0;
        int rateLimited = 0;
        int lastRefusal = 429;
        while (true) {
            Request submit;
            try {
                // The task's own format: a provider is only ever sent one.
                submit = dialect.submitRequest(spec, task.request(), run.endpoint(), run.key());
            } catch (IOException e) {
                return ended(new TaskOutcome.NotSubmitted(
                        index, "an input image could not be read: " + scrubber.failure(e)));
            }
            Instant sentAt = engine.clock().instant();
            Duration retryAfter;
            String why;
            state.submitInFlight = true;
            try (Flight flight = run.calls().send(engine.clients().submit(dialect.submitHold()), submit, deadline)) {
                Response response = flight.response();
                int code = response.code();
                if (code >= 200 && code < 300) {
                    try {
                        ProviderReply reply = run.reply(response);
                        return new Submission.Created(
                                withMaskedTaskId(dialect.readSubmitted(spec, reply, run.endpoint(), sentAt)));
                    } catch (MalformedReplyException e) {
                        return ended(new TaskOutcome.SubmitAmbiguous(
                                index,
                                scrubber.text(e.taskId()),
                                "the answer could not be read: " + scrubber.text(e.getMessage())));
                    } catch (IOException e) {
                        return ended(new TaskOutcome.SubmitAmbiguous(
                                index, null, "the answer broke off: " + scrubber.failure(e)));
                    }
                }
                ProviderReply answer = run.readQuietly(response);
                boolean refusedForNow = code == 429 || dialect.refusedBeforeAnyTask(answer);
                if ((code == 408 || code >= 500) && !refusedForNow) {
                    return ended(new TaskOutcome.SubmitAmbiguous(index, null, "HTTP " + code + optionalReason(answer)));
                }
                if (!refusedForNow) {
                    SubmitRefusal refusal = dialect.readRefusal(answer);
                    if (refusal.moderation() != null) {
                        return ended(new TaskOutcome.Moderated(
                                index,
                                null,
                                refusal.moderation(),
                                List.of(scrubber.text(refusal.reason())),
                                Billing.NOT_BILLED));
                    }
                    return ended(
                            new TaskOutcome.Rejected(index, refusal.kind(), code, scrubber.text(refusal.reason())));
                }
                // 429, or an answer the provider documents as "nothing created, try later": nothing to bill twice.
                rateLimited++;
                lastRefusal = code;
                why = code == 429
                        ? "rate limited (HTTP 429)"
                        : "refused for now, nothing created (HTTP " + code + optionalReason(answer) + ")";
                retryAfter = RetryAfter.parse(response.header("Retry-After"), engine.clock());
                if (rateLimited >= policy.submitRateLimitTries()) {
                    return ended(new TaskOutcome.Rejected(
                            index,
                            RejectionKind.RATE_LIMITED,
                            code,
                            "still refused after " + rateLimited + " tries"
                                    + optionalReason(answer).replaceFirst("^: ", "; ")));
                }
            } catch (TransportFailure e) {
                if (e.requestSent()) {
                    return ended(new TaskOutcome.SubmitAmbiguous(index, null, scrubber.failure(e.failure())));
                }
                connectFailures++;
                why = scrubber.failure(e.failure());
                retryAfter = null;
                if (connectFailures >= policy.submitConnectAttempts()) {
                    return ended(new TaskOutcome.NotSubmitted(
                            index,
                            "could not reach "
                                    + Redaction.withoutQuery(run.endpoint().baseUrl()) + " after " + connectFailures
                                    + " attempts: " + why));
                }
            } catch (DeadlinePassed e) {
                return ended(
                        e.requestSent()
                                ? new TaskOutcome.SubmitAmbiguous(index, null, "no answer before the deadline")
                                : new TaskOutcome.NotSubmitted(index, "the deadline passed before it could be sent"));
            } finally {
                state.submitInFlight = false;
            }
            Duration wait =
                    retryAfter != null ? retryAfter : policy.backoff(connectFailures + rateLimited, engine.random());
            if (wait.compareTo(deadline.remaining()) >= 0) {
                return ended(
                        retryAfter != null
                                ? new TaskOutcome.Rejected(
                                        index,
                                        RejectionKind.RATE_LIMITED,
                                        lastRefusal,
                                        "the provider asked to wait " + retryAfter.toSeconds()
                                                + " s, beyond the deadline")
                                : new TaskOutcome.NotSubmitted(index, "the deadline passed while retrying: " + why));
            }
            run.emit(new ProgressEvent.Retrying(index, "submit", why, wait));
            engine.sleeper().sleep(wait);
        }
    }

    /**
     * The task id goes into log lines, outcomes, sidecars and file names. A provider (or a proxy) that names the task
     * with the key would carry the key into all of them, so such an id is kept only masked; the task is still polled
     * at its URLs, which {@link TaskLifecycle} holds to the same rule before the first status request.
     */
    private SubmitAccepted withMaskedTaskId(SubmitAccepted accepted) {
        TaskHandle h = accepted.handle();
        String masked = run.scrubber().text(h.taskId());
        if (masked == null || masked.equals(h.taskId())) {
            return accepted;
        }
        TaskHandle safe = new TaskHandle(
                h.provider(),
                masked,
                h.pollingUrl(),
                h.resultUrl(),
                h.cancelUrl(),
                h.index(),
                h.imageCount(),
                h.submittedAt());
        return new SubmitAccepted(safe, accepted.cost(), accepted.settled());
    }

    private String optionalReason(ProviderReply reply) {
        if (reply == null || reply.body() == null || reply.body().isBlank()) {
            return "";
        }
        String body = reply.body().strip().replaceAll("\\s+", " ");
        return ": " + run.scrubber().text(body.length() > 300 ? body.substring(0, 300) + "…" : body);
    }
}
