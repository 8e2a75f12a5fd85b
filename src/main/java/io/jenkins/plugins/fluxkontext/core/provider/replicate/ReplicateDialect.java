package io.jenkins.plugins.fluxkontext.core.provider.replicate;

import static io.jenkins.plugins.fluxkontext.core.provider.ReplyJson.JSON;
import static io.jenkins.plugins.fluxkontext.core.provider.ReplyJson.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
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
import io.jenkins.plugins.fluxkontext.core.provider.StatusPollingDialect;
import io.jenkins.plugins.fluxkontext.core.provider.SubmitAccepted;
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
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * Replicate's predictions API (https://replicate.com/docs/reference/http) for
 * {@code black-forest-labs/flux-kontext-max} (or {@code -pro}): {@code Authorization: Bearer},
 * {@code POST /v1/models/{owner}/{model}/predictions} with {@code Prefer: wait=60}, so that a task of up to a minute
 * comes back finished in the submit's answer; a longer one is polled at {@code urls.get}. One input image, one image
 * per task; a prediction can be cancelled at {@code urls.cancel}.
 */
public final class ReplicateDialect extends StatusPollingDialect {

    public static final String ID = "replicate";
    public static final URI DEFAULT_BASE = URI.create("https://api.replicate.com");

    /**
     * As long as Replicate holds a submit: "Synchronous predictions hold the request open for a specified duration,
     * which defaults to 60 seconds" ({@code Prefer: wait=n}, n from 1 to 60;
     * https://replicate.com/docs/topics/predictions/create-a-prediction). A task that ends within it costs no status
     * request at all.
     */
    static final Duration HOLD = Duration.ofSeconds(60);
    /** "2 is currently the maximum allowed when input images are used" (the model's API page on replicate.com). */
    static final int MAX_SAFETY_TOLERANCE_WITH_INPUT = 2;

    static final RatioChoices RATIOS = RatioChoices.of(
            "Replicate", "1:1", "16:9", "9:16", "4:3", "3:4", "3:2", "2:3", "4:5", "5:4", "21:9", "9:21", "2:1", "1:2");

    /**
     * How a moderated prediction's error reads: Replicate's docs name no moderation status or code, so this is the
     * wording Replicate's clients match (AutoGPT's Kontext block, for one).
     */
    private static final Pattern MODERATED =
            Pattern.compile("flagged as sensitive|\\bE005\\b", Pattern.CASE_INSENSITIVE);

    private static final Pattern ERROR_CODE = Pattern.compile("\\b(E\\d{3,4})\\b");

    public ReplicateDialect() {
        super(ID, "Replicate", DEFAULT_BASE, KeyHeader.BEARER);
    }

    @Override
    public List<Violation> unsupported(GenerationRequest request) {
        List<Violation> problems = new ArrayList<>();
        if (request.inputImages().size() > 1) {
            problems.add(new Violation(
                    "images", request.inputImages().size() + " images", "Replicate takes at most 1 input image"));
        }
        if (request.isEdit() && request.safetyTolerance() > MAX_SAFETY_TOLERANCE_WITH_INPUT) {
            problems.add(new Violation(
                    "safetyTolerance",
                    Integer.toString(request.safetyTolerance()),
                    "Replicate allows at most " + MAX_SAFETY_TOLERANCE_WITH_INPUT + " with an input image"));
        }
        Violation ratio = RATIOS.check(request.aspectRatio());
        if (ratio != null) {
            problems.add(ratio);
        }
        return problems;
    }

    @Override
    public Duration submitHold() {
        return HOLD;
    }

    @Override
    public Request submitRequest(TaskSpec task, GenerationRequest request, ProviderEndpoint endpoint, ApiKey key)
            throws IOException {
        ObjectNode input = JSON.createObjectNode();
        input.put("prompt", request.prompt());
        if (request.isEdit()) {
            // Replicate recommends data URLs only up to 256 KB; larger files still work, just slower.
            input.put(
                    "input_image",
                    InputImageWire.urlOrDataUri(request.inputImages().get(0)));
        }
        if (request.aspectRatio() != null) {
            input.put("aspect_ratio", RATIOS.wireValue(request.aspectRatio()));
        }
        if (task.seed() != null) {
            input.put("seed", task.seed());
        }
        input.put("output_format", request.outputFormat() == OutputFormat.JPEG ? "jpg" : "png");
        input.put("safety_tolerance", request.safetyTolerance());
        input.put("prompt_upsampling", request.promptUpsampling());
        ObjectNode body = JSON.createObjectNode();
        body.set("input", input);
        return postJson(
                        endpoint.resolve("/v1/models/black-forest-labs/"
                                + request.model().id() + "/predictions"),
                        JSON.writeValueAsBytes(body),
                        key)
                .header("Prefer", "wait=" + HOLD.toSeconds())
                .build();
    }

    /** A prediction object; when {@code Prefer: wait} let it finish, its ending settles the task at once. */
    @Override
    public SubmitAccepted readSubmitted(
            TaskSpec task, ProviderReply reply, ProviderEndpoint endpoint, Instant submittedAt)
            throws MalformedReplyException {
        JsonNode json = ReplyJson.object(reply, null);
        String id = submittedId(json, "id", "prediction id");
        HttpUrl prediction = endpoint.taskUrl("v1/predictions", id);
        String get = url(endpoint, text(json, "urls", "get"), prediction.toString(), id);
        String cancel = url(
                endpoint,
                text(json, "urls", "cancel"),
                prediction.newBuilder().addPathSegment("cancel").build().toString(),
                id);
        TaskHandle handle = new TaskHandle(id(), id, get, null, cancel, task.index(), task.imageCount(), submittedAt);
        String status = text(json, "status");
        PollOutcome settled;
        if (status != null && List.of("succeeded", "failed", "canceled").contains(status)) {
            settled = readStatus(handle, json);
        } else if (hasOutput(json)) {
            // "For models that produce files as output, Replicate will respond with the files as soon as they are all
            // available. In this instance, the output field will contain all file outputs but status may still be in
            // processing" (same page as HOLD): the images are there, nothing more is to come.
            settled = succeeded(handle, status, json);
        } else {
            settled = null;
        }
        return new SubmitAccepted(handle, null, settled);
    }

    private static String url(ProviderEndpoint endpoint, String given, String fallback, String id)
            throws MalformedReplyException {
        if (given == null || given.isBlank()) {
            return fallback;
        }
        return answeredUrl(endpoint, given, "prediction's URL", id).toString();
    }

    @Override
    protected String statusDocument() {
        return "prediction";
    }

    @Override
    protected PollOutcome outcome(TaskHandle handle, String status, JsonNode json) throws MalformedReplyException {
        return switch (status) {
            case "starting", "processing" -> new PollOutcome.Running(status, null);
            case "succeeded" -> succeeded(handle, status, json);
            case "failed" -> failed(status, text(json, "error"));
            case "canceled" -> new PollOutcome.Cancelled(status, Billing.MAYBE_BILLED);
            default -> HttpAnswers.unknownStatus(status);
        };
    }

    private static boolean hasOutput(JsonNode json) {
        JsonNode output = json.get("output");
        return output != null
                && (output.isTextual() && !output.asText().isBlank() || output.isArray() && !output.isEmpty());
    }

    /** This model's output is one URI; a list of URIs is read too. */
    private static PollOutcome succeeded(TaskHandle handle, String status, JsonNode json)
            throws MalformedReplyException {
        JsonNode output = json.get("output");
        List<String> urls = new ArrayList<>();
        if (output != null && output.isTextual()) {
            urls.add(output.asText());
        } else if (output != null && output.isArray()) {
            output.forEach(o -> urls.add(o.asText()));
        }
        urls.removeIf(String::isBlank);
        if (urls.isEmpty()) {
            if (json.path("data_removed").asBoolean(false)) {
                return new PollOutcome.NotFound(status, "Replicate deletes a prediction's files after an hour");
            }
            throw new MalformedReplyException("the prediction succeeded but has no output URL", handle.taskId());
        }
        return new PollOutcome.Ready(status, urls, null);
    }

    /**
     * Moderation has no status of its own: a failure whose error says "flagged as sensitive" or E005 is moderation, on
     * a side Replicate does not name.
     */
    static PollOutcome failed(String status, String error) {
        String message = error == null || error.isBlank() ? null : ReplyJson.shorten(error);
        if (message != null && MODERATED.matcher(message).find()) {
            return new PollOutcome.Moderated(status, ModerationSide.UNKNOWN, List.of(message), Billing.MAYBE_BILLED);
        }
        Matcher code = message == null ? null : ERROR_CODE.matcher(message);
        return new PollOutcome.Failed(
                status,
                code != null && code.find() ? code.group(1).toUpperCase(Locale.ROOT) : "failed",
                message == null ? "Replicate reports the prediction failed without an error" : message,
                Billing.MAYBE_BILLED);
    }

    /** {@code POST urls.cancel}. */
    @Override
    public Request cancelRequest(TaskHandle handle, ProviderEndpoint endpoint, ApiKey key) {
        if (handle.cancelUrl() == null) {
            return null;
        }
        return authorized(key)
                .url(handle.cancelUrl())
                .post(RequestBody.create(new byte[0], null))
                .build();
    }
}
