package io.jenkins.plugins.fluxkontext.core.provider.bfl;

import static io.jenkins.plugins.fluxkontext.core.provider.ReplyJson.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
import io.jenkins.plugins.fluxkontext.core.model.InputImage;
import io.jenkins.plugins.fluxkontext.core.model.Violation;
import io.jenkins.plugins.fluxkontext.core.provider.ApiKey;
import io.jenkins.plugins.fluxkontext.core.provider.HttpAnswers;
import io.jenkins.plugins.fluxkontext.core.provider.InputImageWire;
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
import io.jenkins.plugins.fluxkontext.core.task.Cost;
import io.jenkins.plugins.fluxkontext.core.task.TaskHandle;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome.ModerationSide;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.Request;

/**
 * Black Forest Labs' own API (https://docs.bfl.ai/api-reference/tasks/edit-or-create-an-image-with-flux-kontext-max and
 * its "Get Result" page): {@code x-key} header, {@code POST /v1/{model}}, then the returned {@code polling_url} until a
 * terminal status. One image per task.
 */
public final class BflDialect extends StatusPollingDialect {

    public static final String ID = "bfl";
    /** Global, multi-cluster; requires following the returned polling URL. */
    public static final URI GLOBAL = URI.create("https://api.bfl.ai");
    /** Regional multi-cluster hosts (EU keeps data in the EU). */
    public static final URI EU = URI.create("https://api.eu.bfl.ai");

    public static final URI US = URI.create("https://api.us.bfl.ai");

    /** Assumption: BFL reports {@code cost} in credits and sells a credit for $0.01 (its pricing page, 2025). */
    static final BigDecimal USD_PER_CREDIT = new BigDecimal("0.01");

    public BflDialect() {
        super(ID, "Black Forest Labs", GLOBAL, new KeyHeader("x-key", ""));
    }

    /** BFL takes every field of a request as it is: up to four input images, 21:9 to 9:21, png or jpeg. */
    @Override
    public List<Violation> unsupported(GenerationRequest request) {
        return List.of();
    }

    @Override
    public Request submitRequest(TaskSpec task, GenerationRequest request, ProviderEndpoint endpoint, ApiKey key)
            throws IOException {
        byte[] body = JSON.writeValueAsBytes(kontextInput(task, request));
        return postJson(endpoint.resolve("/v1/" + request.model().id()), body, key)
                .build();
    }

    /**
     * The Kontext submit body of {@code task}, as BFL's flux-kontext-max reference defines it. BFL-compatible gateways
     * take it as it is (CometAPI's {@code /flux/v1}) or pass it on as the model's parameters (Vtrix).
     *
     * @throws IOException when a local input image cannot be read
     */
    public static ObjectNode kontextInput(TaskSpec task, GenerationRequest request) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.put("prompt", request.prompt());
        List<InputImage> inputs = request.inputImages();
        for (int i = 0; i < inputs.size(); i++) {
            // URLs go as they are (BFL fetches them), files and bytes as raw base64: what BFL's own SDK sends.
            body.put(i == 0 ? "input_image" : "input_image_" + (i + 1), InputImageWire.urlOrRawBase64(inputs.get(i)));
        }
        if (task.seed() != null) {
            body.put("seed", task.seed());
        }
        if (request.aspectRatio() != null) {
            body.put("aspect_ratio", request.aspectRatio().toString());
        }
        // The OpenAPI default (png) and the guide's (jpeg) disagree, so the format is always explicit.
        body.put("output_format", request.outputFormat().id());
        body.put("safety_tolerance", request.safetyTolerance());
        body.put("prompt_upsampling", request.promptUpsampling());
        return body;
    }

    @Override
    public SubmitAccepted readSubmitted(
            TaskSpec task, ProviderReply reply, ProviderEndpoint endpoint, Instant submittedAt)
            throws MalformedReplyException {
        JsonNode json = ReplyJson.object(reply, null);
        String id = submittedId(json, "id", "task id");
        String pollingUrl = ReplyJson.text(json, "polling_url");
        if (pollingUrl == null || pollingUrl.isBlank()) {
            throw new MalformedReplyException("the submit answer has no polling_url", id);
        }
        HttpUrl resolved = answeredUrl(endpoint, pollingUrl, "polling_url", id);
        Cost cost = null;
        JsonNode credits = json.get("cost");
        // A number too large for a double (1e400) reads as infinite and has no decimal value: no cost, not a crash.
        if (credits != null && credits.isNumber() && Double.isFinite(credits.doubleValue())) {
            cost = Cost.reported(credits.decimalValue().multiply(USD_PER_CREDIT));
        }
        return new SubmitAccepted(handle(task, id, resolved, submittedAt), cost);
    }

    @Override
    protected PollOutcome outcome(TaskHandle handle, String status, JsonNode json) throws MalformedReplyException {
        return statusOutcome(handle, status, json);
    }

    /** What BFL's status means. BFL-compatible gateways (CometAPI's {@code get_result}) answer in the same statuses. */
    public static PollOutcome statusOutcome(TaskHandle handle, String status, JsonNode json)
            throws MalformedReplyException {
        JsonNode details = json.get("details");
        return switch (status) {
            case "Pending" -> new PollOutcome.Running(status, ReplyJson.percent(json.get("progress")));
            case "Ready" -> ready(handle, status, json.get("result"));
            case "Error" ->
                new PollOutcome.Failed(
                        status,
                        "Error",
                        details == null || details.isNull()
                                ? "the provider reports an error without details"
                                : ReplyJson.shorten(details.isTextual() ? details.asText() : details.toString()),
                        Billing.MAYBE_BILLED);
            // help.bfl.ai: moderated tasks are not charged.
            case "Request Moderated" ->
                new PollOutcome.Moderated(
                        status, ModerationSide.REQUEST, moderationReasons(details), Billing.NOT_BILLED);
            case "Content Moderated" ->
                new PollOutcome.Moderated(
                        status, ModerationSide.OUTPUT, moderationReasons(details), Billing.NOT_BILLED);
            case "Task not found" -> new PollOutcome.NotFound(status, null);
            // BFL's SDK treats any other status as an error; so do we, so that a new status cannot poll forever.
            default -> HttpAnswers.unknownStatus(status);
        };
    }

    private static PollOutcome ready(TaskHandle handle, String status, JsonNode result) throws MalformedReplyException {
        String sample = result == null ? null : ReplyJson.text(result, "sample");
        if (sample == null || sample.isBlank()) {
            throw new MalformedReplyException("the task is Ready but its answer has no result.sample", handle.taskId());
        }
        JsonNode seed = result.get("seed");
        return new PollOutcome.Ready(
                status, List.of(sample), seed != null && seed.canConvertToLong() ? seed.asLong() : null);
    }

    /** Reads {@code details["Moderation Reasons"]} when it is there; its shape is not documented. */
    private static List<String> moderationReasons(JsonNode details) {
        List<String> reasons = new ArrayList<>();
        JsonNode listed = details == null ? null : details.get("Moderation Reasons");
        if (listed != null && listed.isArray()) {
            listed.forEach(r -> reasons.add(ReplyJson.shorten(r.asText())));
        }
        return reasons;
    }
}
