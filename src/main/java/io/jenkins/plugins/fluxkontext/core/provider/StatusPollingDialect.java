package io.jenkins.plugins.fluxkontext.core.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.fluxkontext.core.model.Redaction;
import io.jenkins.plugins.fluxkontext.core.task.TaskHandle;
import java.net.URI;
import java.time.Instant;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * A dialect that submits JSON and then polls a JSON status document per task, with its key in the same header on
 * every call: each provider this build knows. What that makes the same everywhere lives here (the identity, the
 * authorized requests, refusals and refused status requests read as {@link HttpAnswers} reads them, the status found
 * in the document), so that a subclass says only what is its own: paths, bodies, ids and what its statuses mean.
 */
public abstract class StatusPollingDialect implements ProviderDialect {

    private static final MediaType APPLICATION_JSON = MediaType.get("application/json");

    private final String id;
    private final String displayName;
    private final URI defaultBaseUrl;
    private final KeyHeader keyHeader;

    protected StatusPollingDialect(String id, String displayName, URI defaultBaseUrl, KeyHeader keyHeader) {
        this.id = id;
        this.displayName = displayName;
        this.defaultBaseUrl = defaultBaseUrl;
        this.keyHeader = keyHeader;
    }

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final String displayName() {
        return displayName;
    }

    @Override
    public final URI defaultBaseUrl() {
        return defaultBaseUrl;
    }

    /** A request to this provider's API: the key in its header, and JSON asked for. */
    protected final Request.Builder authorized(ApiKey key) {
        return keyHeader.on(new Request.Builder(), key).header("Accept", "application/json");
    }

    /** An authorized {@code POST} of {@code json}, whole in memory as the paid submit needs it. */
    protected final Request.Builder postJson(HttpUrl url, byte[] json, ApiKey key) {
        return authorized(key).url(url).post(RequestBody.create(json, APPLICATION_JSON));
    }

    /** The task id the submit answer holds in {@code field}; {@code name} says what is missing when it does not. */
    protected static String submittedId(JsonNode json, String field, String name) throws MalformedReplyException {
        String taskId = ReplyJson.text(json, field);
        if (taskId == null || taskId.isBlank()) {
            throw new MalformedReplyException("the submit answer has no " + name, null);
        }
        return taskId;
    }

    /**
     * A URL the answer gives (BFL's {@code polling_url}, fal's {@code status_url}), resolved against the base URL;
     * {@code name} says which when it is not an http(s) URL. Whether the key may follow it is the engine's check
     * ({@link ProviderEndpoint#mayReceiveKey}).
     */
    protected static HttpUrl answeredUrl(ProviderEndpoint endpoint, String url, String name, String taskId)
            throws MalformedReplyException {
        HttpUrl resolved = endpoint.base().resolve(url);
        if (resolved == null) {
            throw new MalformedReplyException(
                    "the " + name + " is not an http(s) URL: " + Redaction.withoutQuery(url), taskId);
        }
        return resolved;
    }

    /** The handle of a task polled at {@code pollingUrl} that has no separate result or cancel URL. */
    protected final TaskHandle handle(TaskSpec task, String taskId, HttpUrl pollingUrl, Instant submittedAt) {
        return new TaskHandle(
                id, taskId, pollingUrl.toString(), null, null, task.index(), task.imageCount(), submittedAt);
    }

    @Override
    public SubmitRefusal readRefusal(ProviderReply reply) {
        return HttpAnswers.refusal(reply);
    }

    /** With the key even where the status needs none (BFL's documented get_result): BFL's docs and SDK send it. */
    @Override
    public Request pollRequest(TaskHandle handle, ProviderEndpoint endpoint, ApiKey key) {
        return authorized(key).url(handle.pollingUrl()).get().build();
    }

    @Override
    public PollOutcome readPoll(TaskHandle handle, ProviderReply reply) throws MalformedReplyException {
        if (!reply.isSuccessful()) {
            return HttpAnswers.pollFailure(reply);
        }
        return readStatus(handle, ReplyJson.object(reply, handle.taskId()));
    }

    /** What the status document {@code json} says; also for a submit answer that is one (Replicate's). */
    protected final PollOutcome readStatus(TaskHandle handle, JsonNode json) throws MalformedReplyException {
        String status = ReplyJson.text(json, statusField());
        if (status == null) {
            throw new MalformedReplyException("the " + statusDocument() + " has no " + statusField(), handle.taskId());
        }
        return outcome(handle, status, json);
    }

    /**
     * What {@code status} means. A status this method does not know must come back as
     * {@link HttpAnswers#unknownStatus}, never as {@link PollOutcome.Running}, so that a new one cannot poll forever.
     */
    protected abstract PollOutcome outcome(TaskHandle handle, String status, JsonNode json)
            throws MalformedReplyException;

    /** The field of the status document that holds the status. */
    protected String statusField() {
        return "status";
    }

    /** What the status document is called when it has no status. */
    protected String statusDocument() {
        return "status answer";
    }
}
