package io.jenkins.plugins.fluxkontext.core.provider;

import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
import io.jenkins.plugins.fluxkontext.core.model.InputImage;
import io.jenkins.plugins.fluxkontext.core.model.Violation;
import io.jenkins.plugins.fluxkontext.core.task.TaskHandle;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import okhttp3.Request;
import okhttp3.Response;

/**
 * One API family that sells FLUX.1 Kontext: how it authenticates, what the submit and poll look like, and how its
 * statuses map onto our outcomes (docs/providers.md, "Statuses and outcomes").
 *
 * <p>A dialect is a translator and does no I/O of its own: it builds {@link Request}s and reads {@link ProviderReply}s.
 * The engine sends them, so retries, deadlines, cancellation, the at-most-once rule for the paid submit, the throttle
 * and the key-safety checks are the same for every provider. Lifecycle: {@link #plan} the tasks, {@link #submitRequest}
 * each once, {@link #pollRequest} until {@link #readPoll} says it is over (with {@link #resultRequest} in between for
 * providers whose result is a separate document), then the engine downloads the image URLs without any credential.
 *
 * <p>Implementations are stateless and thread-safe.
 */
public interface ProviderDialect {

    /** Short id users write, e.g. {@code bfl}. */
    String id();

    /** Name for people, e.g. {@code Black Forest Labs}. */
    String displayName();

    /** The documented production base URL. */
    URI defaultBaseUrl();

    /**
     * Fields of {@code request} this provider cannot honour, checked before any paid call. A field is never
     * dropped silently.
     */
    List<Violation> unsupported(GenerationRequest request);

    /**
     * How {@code request} splits into paid tasks. The default makes one task per image with consecutive seeds, as
     * BFL (one image per task) needs; a provider that batches (fal: up to 4 images per task) overrides it.
     */
    default List<TaskSpec> plan(GenerationRequest request) {
        List<TaskSpec> tasks = new ArrayList<>();
        for (int i = 1; i <= request.count(); i++) {
            tasks.add(new TaskSpec(i, i, 1, request.seedForImage(i - 1)));
        }
        return tasks;
    }

    /**
     * The request that puts {@code image} where the provider can read it, sent once per job before any paid submit;
     * {@code null} (the default) when the image goes into the submit as it is. ToAPIs takes input images by URL only,
     * so a local file is uploaded first and its URL sent instead. An upload creates nothing billable, so the engine
     * may send it again after a failure. It carries the auth header like every API call.
     *
     * @throws IOException when the image cannot be read
     */
    default Request uploadRequest(InputImage image, ProviderEndpoint endpoint, ApiKey key) throws IOException {
        return null;
    }

    /**
     * Reads a 2xx answer to {@link #uploadRequest}: the URL the submit names instead of the local image.
     *
     * @throws MalformedReplyException when the answer names no usable URL
     */
    default URI readUpload(ProviderReply reply) throws MalformedReplyException {
        throw new UnsupportedOperationException(id() + " takes input images as they are");
    }

    /**
     * How long the provider may hold the submit's answer on purpose (Replicate's {@code Prefer: wait}). The engine
     * waits that much longer for the answer before it calls the submit ambiguous. Zero by default.
     */
    default Duration submitHold() {
        return Duration.ZERO;
    }

    /**
     * The paid submit of one task, with its auth header. The body must be complete in memory (the engine never
     * re-sends it; a replayable body keeps OkHttp from streaming it twice either).
     *
     * @throws IOException when a local input image cannot be read
     */
    Request submitRequest(TaskSpec task, GenerationRequest request, ProviderEndpoint endpoint, ApiKey key)
            throws IOException;

    /**
     * Reads a 2xx submit answer. A provider that may answer with the finished task (Replicate after
     * {@code Prefer: wait}) says so in {@link SubmitAccepted#settled()}, and the engine does not poll.
     *
     * @throws MalformedReplyException when the answer does not name the task well enough to poll it
     */
    SubmitAccepted readSubmitted(TaskSpec task, ProviderReply reply, ProviderEndpoint endpoint, Instant submittedAt)
            throws MalformedReplyException;

    /**
     * Reads a submit answer that proves nothing was created: a 4xx other than 408 and 429 (those, and 5xx, the engine
     * handles itself because their meaning is the same everywhere), or a 3xx.
     */
    SubmitRefusal readRefusal(ProviderReply reply);

    /**
     * Whether a submit answer the engine would otherwise call ambiguous (a 5xx or 408, after which a task may exist)
     * is one this provider documents as a refusal that created nothing and asks to be sent again later (ToAPIs' 503
     * {@code rate_limit_unavailable}). The engine then waits ({@code Retry-After} first, else its backoff) and sends
     * the submit again, as after a 429. Only an answer the documentation names may say yes: a wrong yes bills twice.
     */
    default boolean refusedBeforeAnyTask(ProviderReply reply) {
        return false;
    }

    /**
     * How often this provider's documentation lets a client ask for a task's status; {@link StatusPacing#NONE} when
     * it says nothing. The engine never asks sooner, whatever its own schedule would do.
     */
    default StatusPacing statusPacing() {
        return StatusPacing.NONE;
    }

    /**
     * The request for a stream of the task's status that the provider keeps open until the task ends (fal's
     * {@code status/stream}, server-sent events), or {@code null} (the default) when it offers none. The engine reads
     * it before it polls, opens it again when it breaks off, and polls when the provider refuses it.
     */
    default Request statusStreamRequest(TaskHandle handle, ProviderEndpoint endpoint, ApiKey key) {
        return null;
    }

    /**
     * Reads the data of one event of {@link #statusStreamRequest}'s stream; answers like {@link #readPoll}.
     *
     * @throws MalformedReplyException when the event is unreadable
     */
    default PollOutcome readStreamEvent(TaskHandle handle, String data) throws MalformedReplyException {
        throw new UnsupportedOperationException(id() + " has no status stream");
    }

    /** The status request for {@code handle}, with its auth header. */
    Request pollRequest(TaskHandle handle, ProviderEndpoint endpoint, ApiKey key);

    /**
     * Reads a status answer: a 2xx, or any other code except 408, 429 and 5xx (which the engine retries). Any status
     * this method does not know must come back as {@link PollOutcome.Failed}, never as {@link PollOutcome.Running}.
     *
     * @throws MalformedReplyException when the answer is unreadable; the engine asks again a few times
     */
    PollOutcome readPoll(TaskHandle handle, ProviderReply reply) throws MalformedReplyException;

    /**
     * For providers that answer {@link PollOutcome.ResultAvailable}: the request for the result document (fal's
     * {@code response_url}).
     */
    default Request resultRequest(TaskHandle handle, ProviderEndpoint endpoint, ApiKey key) {
        throw new UnsupportedOperationException(id() + " has no separate result document");
    }

    /** Reads the result document; answers like {@link #readPoll}. */
    default PollOutcome readResult(TaskHandle handle, ProviderReply reply) throws MalformedReplyException {
        throw new UnsupportedOperationException(id() + " has no separate result document");
    }

    /**
     * Whether an answer of 500 or more to {@link #resultRequest} is the task's result (the model's own error, which
     * {@link #readResult} reads) rather than a failed request the engine asks again until the deadline. Decided from
     * the status line and headers. None by default.
     */
    default boolean isResultError(Response answer) {
        return false;
    }

    /**
     * The request that cancels {@code handle} at the provider (fal, Replicate), or {@code null} when the provider
     * cannot cancel (BFL).
     */
    default Request cancelRequest(TaskHandle handle, ProviderEndpoint endpoint, ApiKey key) {
        return null;
    }
}
