package io.jenkins.plugins.fluxkontext.core.provider.toapis;

import static io.jenkins.plugins.fluxkontext.core.provider.ReplyJson.JSON;
import static io.jenkins.plugins.fluxkontext.core.provider.ReplyJson.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
import io.jenkins.plugins.fluxkontext.core.model.InputImage;
import io.jenkins.plugins.fluxkontext.core.model.OutputFormat;
import io.jenkins.plugins.fluxkontext.core.model.Violation;
import io.jenkins.plugins.fluxkontext.core.provider.ApiKey;
import io.jenkins.plugins.fluxkontext.core.provider.HttpAnswers;
import io.jenkins.plugins.fluxkontext.core.provider.InputImageWire;
import io.jenkins.plugins.fluxkontext.core.provider.KeyHeader;
import io.jenkins.plugins.fluxkontext.core.provider.MalformedReplyException;
import io.jenkins.plugins.fluxkontext.core.provider.PollOutcome;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderEndpoint;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderReply;
import io.jenkins.plugins.fluxkontext.core.provider.RatioChoices;
import io.jenkins.plugins.fluxkontext.core.provider.ReplyJson;
import io.jenkins.plugins.fluxkontext.core.provider.StatusPacing;
import io.jenkins.plugins.fluxkontext.core.provider.StatusPollingDialect;
import io.jenkins.plugins.fluxkontext.core.provider.SubmitAccepted;
import io.jenkins.plugins.fluxkontext.core.provider.SubmitRefusal;
import io.jenkins.plugins.fluxkontext.core.provider.TaskSpec;
import io.jenkins.plugins.fluxkontext.core.task.Billing;
import io.jenkins.plugins.fluxkontext.core.task.TaskHandle;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome.ModerationSide;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * ToAPIs (https://docs.toapis.com/docs/en/api-reference/images/flux-kontext/generation and tasks/image-status):
 * {@code Authorization: Bearer}, {@code POST /v1/images/generations}, then {@code GET /v1/images/generations/{id}}. It
 * takes one input image, by URL only: a local file is first uploaded with {@code POST /v1/uploads/images} and the
 * returned URL sent. One image per task; more run as parallel tasks.
 */
public final class ToApisDialect extends StatusPollingDialect {

    public static final String ID = "toapis";
    /** Every example in ToAPIs' docs uses this host; {@code api.toapis.com} and {@code api.toapis.cn} are unconfirmed. */
    public static final URI DEFAULT_BASE = URI.create("https://toapis.com");

    /** Uploads take at most 10 MB (uploads/images.mdx). */
    static final long MAX_UPLOAD_BYTES = 10L * 1024 * 1024;

    /**
     * UNCONFIRMED: ToAPIs' flux-kontext generation page documents no seed. We refuse a seed instead of sending a field
     * ToAPIs may drop without a word; switch this when a live call shows {@code seed} is honoured.
     */
    static final boolean SEED_DOCUMENTED = false;

    static final RatioChoices SIZES =
            RatioChoices.of("ToAPIs", "1:1", "4:3", "3:4", "16:9", "9:16", "3:2", "2:3", "21:9", "9:21");

    /** The field docs say queued|in_progress; the same page's table adds submitted, another page pending. */
    private static final Set<String> RUNNING = Set.of("queued", "submitted", "pending", "in_progress");

    private static final String CONTENT_POLICY = "content_policy_violation";

    /**
     * "If the submit limiter is temporarily unavailable, ToAPIs returns {@code 503} with code
     * {@code rate_limit_unavailable}." and "honor {@code Retry-After}, and use exponential backoff after {@code 429}
     * or {@code 503}" (https://docs.toapis.com/docs/en/api-reference/rate-limits/async-tasks): the limiter stands
     * before the task is created, so this answer created nothing and is sent again.
     */
    static final String SUBMIT_LIMITER_DOWN = "rate_limit_unavailable";

    /**
     * "Initial wait: 5 seconds / Polling interval: at least 5–10 seconds with random jitter", and "Poll no faster than
     * every 5–10 seconds, add random jitter" (https://docs.toapis.com/docs/en/api-reference/tasks/image-status and
     * .../rate-limits/async-tasks). The docs' own polling example adds up to one second of jitter to 5 s.
     */
    static final StatusPacing PACING =
            new StatusPacing(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(1));

    public ToApisDialect() {
        super(ID, "ToAPIs", DEFAULT_BASE, KeyHeader.BEARER);
    }

    @Override
    public List<Violation> unsupported(GenerationRequest request) {
        List<Violation> problems = new ArrayList<>();
        List<InputImage> inputs = request.inputImages();
        if (inputs.size() > 1) {
            problems.add(new Violation("images", inputs.size() + " images", "ToAPIs takes at most 1 input image"));
        }
        for (InputImage image : inputs) {
            long size = InputImageWire.size(image);
            if (size > MAX_UPLOAD_BYTES) {
                problems.add(new Violation(
                        inputs.size() == 1 ? "image" : "images",
                        image.describe() + " (" + size + " bytes)",
                        "ToAPIs uploads take at most 10 MB; give a smaller file or a public URL"));
            }
        }
        if (request.seed() != null && !SEED_DOCUMENTED) {
            problems.add(new Violation(
                    "seed", request.seed().toString(), "ToAPIs documents no seed for FLUX Kontext; leave it empty"));
        }
        Violation ratio = SIZES.check(request.aspectRatio());
        if (ratio != null) {
            problems.add(ratio);
        }
        return problems;
    }

    @Override
    public Request uploadRequest(InputImage image, ProviderEndpoint endpoint, ApiKey key) throws IOException {
        if (image instanceof InputImage.RemoteUrl) {
            return null;
        }
        byte[] bytes = InputImageWire.bytes(image);
        String mediaType = InputImageWire.mediaType(bytes);
        String name = "input." + mediaType.substring(mediaType.indexOf('/') + 1).replace("jpeg", "jpg");
        RequestBody form = new MultipartBody.Builder()
                .setType(MultipartBody.FORM)
                .addFormDataPart("file", name, RequestBody.create(bytes, MediaType.get(mediaType)))
                .build();
        return authorized(key)
                .url(endpoint.resolve("/v1/uploads/images"))
                .post(form)
                .build();
    }

    /** {@code {"success":true,"data":{"id","url","mime_type","size"}}}. */
    @Override
    public URI readUpload(ProviderReply reply) throws MalformedReplyException {
        JsonNode json = ReplyJson.object(reply, null);
        String url = text(json, "data", "url");
        if (!json.path("success").asBoolean(false) || url == null || url.isBlank()) {
            String message = text(json, "message");
            throw new MalformedReplyException(
                    "the upload answer names no URL"
                            + (message == null || message.isBlank() ? "" : ": " + ReplyJson.shorten(message)),
                    null);
        }
        try {
            return URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new MalformedReplyException("the upload answer's URL is not a URL", null);
        }
    }

    @Override
    public Request submitRequest(TaskSpec task, GenerationRequest request, ProviderEndpoint endpoint, ApiKey key)
            throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", request.model().id());
        body.put("prompt", request.prompt());
        if (request.aspectRatio() != null) {
            body.put("size", SIZES.wireValue(request.aspectRatio()));
        }
        if (request.isEdit()) {
            if (!(request.inputImages().get(0) instanceof InputImage.RemoteUrl remote)) {
                // The engine uploads local images before the first submit; reaching this is a bug, not a user error.
                throw new IOException("ToAPIs takes input images by URL only, and this one was not uploaded");
            }
            body.putArray("image_urls").add(remote.url().toString());
        }
        if (task.seed() != null && SEED_DOCUMENTED) {
            body.put("seed", task.seed());
        }
        ObjectNode metadata = body.putObject("metadata");
        metadata.put("response_format", request.outputFormat() == OutputFormat.JPEG ? "jpg" : "png");
        metadata.put("safety_tolerance", request.safetyTolerance());
        metadata.put("prompt_upsampling", request.promptUpsampling());
        return postJson(endpoint.resolve("/v1/images/generations"), JSON.writeValueAsBytes(body), key)
                .build();
    }

    @Override
    public SubmitAccepted readSubmitted(
            TaskSpec task, ProviderReply reply, ProviderEndpoint endpoint, Instant submittedAt)
            throws MalformedReplyException {
        String id = submittedId(ReplyJson.object(reply, null), "id", "task id");
        return new SubmitAccepted(handle(task, id, endpoint.taskUrl("v1/images/generations", id), submittedAt), null);
    }

    @Override
    public SubmitRefusal readRefusal(ProviderReply reply) {
        SubmitRefusal plain = HttpAnswers.refusal(reply);
        if (isContentPolicy(reply)) {
            // At submit nothing has been generated yet, so only the prompt or an input image can have been refused.
            return SubmitRefusal.moderated(
                    ModerationSide.REQUEST,
                    "ToAPIs refused the prompt or input image under its" + " content policy (" + plain.reason() + ")");
        }
        return plain;
    }

    @Override
    public boolean refusedBeforeAnyTask(ProviderReply reply) {
        if (reply.code() != 503) {
            return false;
        }
        JsonNode json = ReplyJson.lenient(reply);
        return json != null && SUBMIT_LIMITER_DOWN.equals(text(json, "error", "code"));
    }

    @Override
    public StatusPacing statusPacing() {
        return PACING;
    }

    @Override
    public PollOutcome readPoll(TaskHandle handle, ProviderReply reply) throws MalformedReplyException {
        if (isContentPolicy(reply)) {
            // ToAPIs' error table names only the code: whether the prompt, an input image or the output was refused
            // cannot be told.
            return new PollOutcome.Moderated(
                    "HTTP 422", ModerationSide.UNKNOWN, reasons(ReplyJson.errorText(reply)), Billing.MAYBE_BILLED);
        }
        return super.readPoll(handle, reply);
    }

    @Override
    protected PollOutcome outcome(TaskHandle handle, String status, JsonNode json) throws MalformedReplyException {
        if (RUNNING.contains(status)) {
            return new PollOutcome.Running(status, ReplyJson.percent(json.get("progress")));
        }
        return switch (status) {
            case "completed" -> completed(handle, status, json);
            case "failed" -> {
                String code = text(json, "error", "code");
                String message = ReplyJson.shorten(text(json, "error", "message"));
                if (CONTENT_POLICY.equals(code)) {
                    yield new PollOutcome.Moderated(
                            status, ModerationSide.UNKNOWN, reasons(message), Billing.MAYBE_BILLED);
                }
                yield new PollOutcome.Failed(
                        status,
                        code == null ? "failed" : code,
                        message == null ? "ToAPIs reports the task failed without a message" : message,
                        Billing.MAYBE_BILLED);
            }
            default -> HttpAnswers.unknownStatus(status);
        };
    }

    /** Images at {@code result.data[].url}; the field list also names a top-level {@code url}, used when there are none. */
    private static PollOutcome completed(TaskHandle handle, String status, JsonNode json)
            throws MalformedReplyException {
        List<String> urls = new ArrayList<>();
        for (JsonNode item : json.path("result").path("data")) {
            String url = text(item, "url");
            if (url != null && !url.isBlank()) {
                urls.add(url);
            }
        }
        if (urls.isEmpty() && text(json, "url") != null && !text(json, "url").isBlank()) {
            urls.add(text(json, "url"));
        }
        if (urls.isEmpty()) {
            throw new MalformedReplyException(
                    "the task is completed but its answer has no result.data[].url", handle.taskId());
        }
        return new PollOutcome.Ready(status, urls, null);
    }

    /** HTTP 422 {@code content_policy_violation}: in {@code error.code} or {@code error.type}. */
    private static boolean isContentPolicy(ProviderReply reply) {
        if (reply.code() != 422) {
            return false;
        }
        JsonNode json = ReplyJson.lenient(reply);
        return json != null
                && (CONTENT_POLICY.equals(text(json, "error", "code"))
                        || CONTENT_POLICY.equals(text(json, "error", "type"))
                        || CONTENT_POLICY.equals(text(json, "code")));
    }

    private static List<String> reasons(String message) {
        return message == null || message.isBlank() ? List.of() : List.of(message);
    }
}
