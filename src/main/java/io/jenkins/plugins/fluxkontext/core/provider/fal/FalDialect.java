package io.jenkins.plugins.fluxkontext.core.provider.fal;

import static io.jenkins.plugins.fluxkontext.core.provider.ReplyJson.JSON;
import static io.jenkins.plugins.fluxkontext.core.provider.ReplyJson.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
import io.jenkins.plugins.fluxkontext.core.model.Violation;
import io.jenkins.plugins.fluxkontext.core.provider.ApiKey;
import io.jenkins.plugins.fluxkontext.core.provider.HttpAnswers;
import io.jenkins.plugins.fluxkontext.core.provider.KeyHeader;
import io.jenkins.plugins.fluxkontext.core.provider.MalformedReplyException;
import io.jenkins.plugins.fluxkontext.core.provider.PollOutcome;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderEndpoint;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderReply;
import io.jenkins.plugins.fluxkontext.core.provider.ReplyJson;
import io.jenkins.plugins.fluxkontext.core.provider.StatusPollingDialect;
import io.jenkins.plugins.fluxkontext.core.provider.SubmitAccepted;
import io.jenkins.plugins.fluxkontext.core.provider.TaskSpec;
import io.jenkins.plugins.fluxkontext.core.task.Billing;
import io.jenkins.plugins.fluxkontext.core.task.TaskHandle;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome.ModerationSide;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * fal's queue API (https://docs.fal.ai/model-endpoints/queue): {@code Authorization: Key},
 * {@code POST {base}/fal-ai/flux-pro/kontext/max[…]} with the model input, then the returned {@code status_url}
 * (IN_QUEUE, IN_PROGRESS, COMPLETED) and, once completed, the {@code response_url}, which holds the images or the
 * model's error. The status is read from its stream ({@code status_url}{@code /stream}) rather than polled. Up to four
 * images per task ({@code num_images}); a queued task can be cancelled at its {@code cancel_url}.
 */
public final class FalDialect extends StatusPollingDialect {

    public static final String ID = "fal";
    public static final URI DEFAULT_BASE = URI.create("https://queue.fal.run");
    /** The owner every fal Kontext endpoint lives under. */
    static final String OWNER = "fal-ai/";

    private final FalKontextInput kontext = new FalKontextInput("fal");

    public FalDialect() {
        super(ID, "fal.ai", DEFAULT_BASE, new KeyHeader("Authorization", "Key "));
    }

    @Override
    public List<Violation> unsupported(GenerationRequest request) {
        return kontext.unsupported(request);
    }

    @Override
    public List<TaskSpec> plan(GenerationRequest request) {
        return FalKontextInput.plan(request);
    }

    /** The endpoint id, e.g. {@code fal-ai/flux-pro/kontext/max/text-to-image}. */
    static String modelId(GenerationRequest request) {
        return OWNER + FalKontextInput.variantPath(request);
    }

    @Override
    public Request submitRequest(TaskSpec task, GenerationRequest request, ProviderEndpoint endpoint, ApiKey key)
            throws IOException {
        return postJson(
                        endpoint.resolve("/" + modelId(request)),
                        JSON.writeValueAsBytes(kontext.input(task, request)),
                        key)
                .build();
    }

    /**
     * {@code {"request_id","response_url","status_url","cancel_url"}}. fal's status, result and cancel URLs name only
     * owner/app, not the model's sub-path, so they are always taken from the answer, never built.
     */
    @Override
    public SubmitAccepted readSubmitted(
            TaskSpec task, ProviderReply reply, ProviderEndpoint endpoint, Instant submittedAt)
            throws MalformedReplyException {
        JsonNode json = ReplyJson.object(reply, null);
        String id = submittedId(json, "request_id", "request_id");
        String statusUrl = url(endpoint, json, "status_url", id, true);
        String responseUrl = url(endpoint, json, "response_url", id, true);
        String cancelUrl = url(endpoint, json, "cancel_url", id, false);
        return new SubmitAccepted(
                new TaskHandle(
                        id(), id, statusUrl, responseUrl, cancelUrl, task.index(), task.imageCount(), submittedAt),
                null);
    }

    private static String url(ProviderEndpoint endpoint, JsonNode json, String field, String id, boolean required)
            throws MalformedReplyException {
        String value = text(json, field);
        if (value == null || value.isBlank()) {
            if (required) {
                throw new MalformedReplyException("the submit answer has no " + field, id);
            }
            return null;
        }
        return answeredUrl(endpoint, value, field, id).toString();
    }

    /** HTTP 202 while IN_QUEUE or IN_PROGRESS, 200 once COMPLETED: the status field decides, not the code. */
    @Override
    protected PollOutcome outcome(TaskHandle handle, String status, JsonNode json) {
        return switch (status) {
            case "IN_QUEUE", "IN_PROGRESS" -> new PollOutcome.Running(status, null);
            // Completed says only that the queue is done with it: success or the model's error is in the result.
            case "COMPLETED" -> new PollOutcome.ResultAvailable(status);
            default -> HttpAnswers.unknownStatus(status);
        };
    }

    /**
     * {@code GET …/requests/{request_id}/status/stream}: "Streams the status of a request until it's completed"
     * (https://docs.fal.ai/model-endpoints/queue), one server-sent event per status, the last one COMPLETED. The end
     * is seen the moment fal knows it, with one request instead of a poll every half second.
     */
    @Override
    public Request statusStreamRequest(TaskHandle handle, ProviderEndpoint endpoint, ApiKey key) {
        HttpUrl status = HttpUrl.parse(handle.pollingUrl());
        if (status == null) {
            return null;
        }
        return keyHeader()
                .on(new Request.Builder(), key)
                .header("Accept", "text/event-stream")
                .url(status.newBuilder().addPathSegment("stream").build())
                .get()
                .build();
    }

    /** An event's data is the same status document the status URL answers with. */
    @Override
    public PollOutcome readStreamEvent(TaskHandle handle, String data) throws MalformedReplyException {
        return readStatus(handle, ReplyJson.object(data, handle.taskId()));
    }

    @Override
    public Request resultRequest(TaskHandle handle, ProviderEndpoint endpoint, ApiKey key) {
        return authorized(key).url(handle.resultUrl()).get().build();
    }

    /** The model output, or the model's error: status code, {@code detail}, {@code X-Fal-Error-Type}. */
    @Override
    public PollOutcome readResult(TaskHandle handle, ProviderReply reply) throws MalformedReplyException {
        if (reply.isSuccessful()) {
            return FalKontextInput.output("COMPLETED", ReplyJson.object(reply, handle.taskId()), handle.taskId());
        }
        String detail = ReplyJson.errorText(reply);
        String status = "HTTP " + reply.code();
        if (isModeration(reply)) {
            return new PollOutcome.Moderated(
                    status, ModerationSide.UNKNOWN, detail == null ? List.of() : List.of(detail), Billing.MAYBE_BILLED);
        }
        if (reply.code() == 404) {
            return new PollOutcome.NotFound(
                    status,
                    "fal keeps a result for 1 hour, 6 minutes when it is large"
                            + (detail == null ? "" : "; " + detail));
        }
        String type = reply.header("X-Fal-Error-Type");
        if (type == null) {
            type = firstDetailType(ReplyJson.lenient(reply));
        }
        return new PollOutcome.Failed(
                status,
                type == null ? status : type,
                detail == null ? "the model answered HTTP " + reply.code() + " without a reason" : detail,
                Billing.MAYBE_BILLED);
    }

    /**
     * fal reports a model's error at the response URL with its type in {@code X-Fal-Error-Type} (a failed generation
     * is HTTP 500 {@code runner_server_error}), and says {@code X-Fal-Retryable: false} when asking again cannot help;
     * its queue has already retried infrastructure failures. A 5xx without either (a load balancer's) is asked again.
     */
    @Override
    public boolean isResultError(Response answer) {
        return answer.header("X-Fal-Error-Type") != null || "false".equalsIgnoreCase(answer.header("X-Fal-Retryable"));
    }

    /**
     * UNCONFIRMED: how fal reports a prompt or image its Kontext safety checks refuse; neither its model page nor its
     * error reference (https://docs.fal.ai/errors) says. Only third-party pages describe an error of type
     * {@code content_policy_violation}; it is read as moderation (side unknown), every other error as a failure.
     */
    static boolean isModeration(ProviderReply reply) {
        JsonNode json = ReplyJson.lenient(reply);
        return "content_policy_violation".equals(firstDetailType(json))
                || "content_policy_violation".equals(reply.header("X-Fal-Error-Type"))
                || json != null && "content_policy_violation".equals(text(json, "error_type"));
    }

    private static String firstDetailType(JsonNode json) {
        JsonNode detail = json == null ? null : json.get("detail");
        if (detail != null && detail.isArray() && !detail.isEmpty()) {
            return text(detail.get(0), "type");
        }
        return json == null ? null : text(json, "error_type");
    }

    /** {@code PUT cancel_url}; fal cancels only a task that has not started processing. */
    @Override
    public Request cancelRequest(TaskHandle handle, ProviderEndpoint endpoint, ApiKey key) {
        if (handle.cancelUrl() == null) {
            return null;
        }
        return authorized(key)
                .url(handle.cancelUrl())
                .put(RequestBody.create(new byte[0], null))
                .build();
    }
}
