package io.jenkins.plugins.fluxkontext.core.engine;

import static io.jenkins.plugins.fluxkontext.core.engine.Submission.ended;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.fluxkontext.core.engine.InFlightCalls.DeadlinePassed;
import io.jenkins.plugins.fluxkontext.core.engine.InFlightCalls.Flight;
import io.jenkins.plugins.fluxkontext.core.engine.InFlightCalls.TransportFailure;
import io.jenkins.plugins.fluxkontext.core.model.Redaction;
import io.jenkins.plugins.fluxkontext.core.provider.MalformedReplyException;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderDialect;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderReply;
import io.jenkins.plugins.fluxkontext.core.provider.ReplyJson;
import io.jenkins.plugins.fluxkontext.core.provider.SubmitAccepted;
import io.jenkins.plugins.fluxkontext.core.provider.SubmitRefusal;
import io.jenkins.plugins.fluxkontext.core.provider.TaskSpec;
import io.jenkins.plugins.fluxkontext.core.task.Billing;
import io.jenkins.plugins.fluxkontext.core.task.Cost;
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
 * {@link ProviderDialect#refusedBeforeAnyTask}; then until the deadline); every other answer that is not clear ends the
 * task as {@link TaskOutcome.SubmitAmbiguous} rather than risk a second bill.
 */
final class PaidSubmit {

    private final RunContext run;

    PaidSubmit(RunContext run) {
        this.run = run;
    }

    /**
     * Sends the paid submit at most once in the sense that matters: it is repeated only when it provably never
     * reached the provider (no byte of it went out) or the provider answered 429 or another refusal its dialect
     * documents as creating nothing. A provider out of capacity is waited for until the run's deadline, as long as it
     * asks ({@code Retry-After}) or with capped backoff.
     * Everything else that is not a clear answer is {@link TaskOutcome.SubmitAmbiguous}: so is anything that goes
     * wrong after a 2xx, since the provider created the task.
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
        int lastRefusalCode = 429;
        String lastRefusal = "";
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
                    return created(spec, response, sentAt);
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
                lastRefusalCode = code;
                why = code == 429
                        ? "rate limited (HTTP 429)"
                        : "refused for now, nothing created (HTTP " + code + optionalReason(answer) + ")";
                lastRefusal = optionalReason(answer).replaceFirst("^: ", "; ");
                retryAfter = RetryAfter.parse(response.header("Retry-After"), engine.clock());
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
                if (rateLimited == 0) {
                    return ended(new TaskOutcome.NotSubmitted(index, "the deadline passed while retrying: " + why));
                }
                return ended(new TaskOutcome.Rejected(
                        index,
                        RejectionKind.RATE_LIMITED,
                        lastRefusalCode,
                        "still refused after " + rateLimited + (rateLimited == 1 ? " try" : " tries")
                                + (retryAfter != null
                                        ? "; the provider asked to wait " + retryAfter.toSeconds()
                                                + " s, beyond the deadline"
                                        : "; the deadline comes before the next try")
                                + lastRefusal));
            }
            run.emit(new ProgressEvent.Retrying(index, "submit", why, wait));
            engine.sleeper().sleep(wait);
        }
    }

    /**
     * The provider answered 2xx: it created the task, so from here on every failure is a task that may be billed,
     * with its id when the answer still names one. A cost the provider reports is kept only when it can be true.
     */
    private Submission created(TaskSpec spec, Response response, Instant sentAt) {
        Scrubber scrubber = run.scrubber();
        int index = spec.index();
        ProviderReply reply;
        try {
            reply = run.reply(response);
        } catch (IOException e) {
            return ended(new TaskOutcome.SubmitAmbiguous(index, null, "the answer broke off: " + scrubber.failure(e)));
        }
        try {
            SubmitAccepted accepted = run.dialect().readSubmitted(spec, reply, run.endpoint(), sentAt);
            return new Submission.Created(believed(withSafeTaskId(accepted)));
        } catch (MalformedReplyException e) {
            return ended(new TaskOutcome.SubmitAmbiguous(
                    index,
                    scrubber.taskId(e.taskId()),
                    "the answer could not be read: " + scrubber.text(e.getMessage())));
        } catch (RuntimeException e) {
            return ended(new TaskOutcome.SubmitAmbiguous(
                    index,
                    scrubber.taskId(taskIdIn(reply)),
                    "the answer could not be read (" + scrubber.failure(e) + ")"));
        }
    }

    /**
     * The task id an accepted answer names, read without the dialect (which just failed on it): the usual fields of
     * the providers we speak, at the top or in a {@code data} envelope; {@code null} when none is there.
     */
    private static String taskIdIn(ProviderReply reply) {
        JsonNode json = ReplyJson.lenient(reply);
        for (JsonNode node : new JsonNode[] {json, json == null ? null : json.get("data")}) {
            if (node == null || !node.isObject()) {
                continue;
            }
            for (String field : List.of("id", "request_id", "task_id")) {
                String id = ReplyJson.text(node, field);
                if (id != null && !id.isBlank()) {
                    return id;
                }
            }
        }
        return null;
    }

    /**
     * The task id goes into log lines, outcomes, sidecars and file names. A provider (or a proxy) that names the task
     * with the key would carry the key into all of them, and one whose id holds line breaks or terminal codes, or runs
     * to pages, would forge or drown log lines; such an id is kept only masked, printable and short. The task is
     * still polled at its URLs, which {@link TaskLifecycle} holds to the key rule before the first status request.
     */
    private SubmitAccepted withSafeTaskId(SubmitAccepted accepted) {
        TaskHandle h = accepted.handle();
        String safe = run.scrubber().taskId(h.taskId());
        if (safe == null || safe.equals(h.taskId())) {
            return accepted;
        }
        TaskHandle shown = new TaskHandle(
                h.provider(),
                safe,
                h.pollingUrl(),
                h.resultUrl(),
                h.cancelUrl(),
                h.index(),
                h.imageCount(),
                h.submittedAt());
        return new SubmitAccepted(shown, accepted.cost(), accepted.settled());
    }

    /** Drops a reported cost that cannot be true (see {@link Cost#isBelievableFor}); the price table counts instead. */
    private static SubmitAccepted believed(SubmitAccepted accepted) {
        Cost cost = accepted.cost();
        if (cost == null || cost.isBelievableFor(accepted.handle().imageCount())) {
            return accepted;
        }
        return new SubmitAccepted(accepted.handle(), null, accepted.settled());
    }

    private String optionalReason(ProviderReply reply) {
        if (reply == null || reply.body() == null || reply.body().isBlank()) {
            return "";
        }
        String body = reply.body().strip().replaceAll("\\s+", " ");
        return ": " + run.scrubber().text(body.length() > 300 ? body.substring(0, 300) + "…" : body);
    }
}
