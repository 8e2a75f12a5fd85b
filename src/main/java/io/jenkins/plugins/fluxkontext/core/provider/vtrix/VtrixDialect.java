package io.jenkins.plugins.fluxkontext.core.provider.vtrix;

import static io.jenkins.plugins.fluxkontext.core.provider.ReplyJson.JSON;
import static io.jenkins.plugins.fluxkontext.core.provider.ReplyJson.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
import io.jenkins.plugins.fluxkontext.core.model.KontextModel;
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
import io.jenkins.plugins.fluxkontext.core.provider.bfl.BflDialect;
import io.jenkins.plugins.fluxkontext.core.task.Billing;
import io.jenkins.plugins.fluxkontext.core.task.Cost;
import io.jenkins.plugins.fluxkontext.core.task.TaskHandle;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import okhttp3.Request;

/**
 * Vtrix, as its model page (https://doc.vtrix.ai/docs/api/blackforestlabs/flux-kontext-max) and its command line
 * (VtrixAI/vtrix-cli) show it: {@code Authorization: Bearer}, {@code POST {base}/model/v1/generation} with
 * {@code {"model","input":[{"params":{…}}]}}, then {@code GET {base}/model/v1/generation/task/{id}}. Its parameters
 * are BFL's (up to four input images as URL or base64, 21:9 to 9:21); one image per task; the finished task reports
 * its cost in {@code usage.cost}.
 */
public final class VtrixDialect extends StatusPollingDialect {

    public static final String ID = "vtrix";
    /**
     * UNCONFIRMED: Vtrix's command line (VtrixAI/vtrix-cli) takes the endpoint from each model's spec; its build flags
     * name this gateway. Configure the base URL if Vtrix gives you another.
     */
    public static final URI DEFAULT_BASE = URI.create("https://gateway.vtrix.ai");

    private static final Set<String> RUNNING = Set.of("pending", "processing", "in_progress");

    public VtrixDialect() {
        super(ID, "Vtrix", DEFAULT_BASE, KeyHeader.BEARER);
    }

    /** Vtrix takes every field as BFL does: four input images, 21:9 to 9:21, jpeg or png, tolerance 0 to 6. */
    @Override
    public List<Violation> unsupported(GenerationRequest request) {
        return List.of();
    }

    /** Vtrix's model ids use underscores. */
    static String modelId(KontextModel model) {
        return model.id().replace('-', '_');
    }

    /**
     * BFL's Kontext body ({@link BflDialect#kontextInput}) as {@code input[0].params}, since Vtrix passes these
     * parameters on to BFL. Vtrix's default is jpeg, ours png: BFL's body always names the format.
     * steps/guidance_scale/negative_prompt are not BFL inputs, so they are not sent. UNCONFIRMED (Vtrix's model
     * page says "base64 or URL"): files go as raw base64 without a {@code data:} prefix, the form BFL itself takes.
     */
    @Override
    public Request submitRequest(TaskSpec task, GenerationRequest request, ProviderEndpoint endpoint, ApiKey key)
            throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", modelId(request.model()));
        body.putArray("input").addObject().set("params", BflDialect.kontextInput(task, request));
        return postJson(endpoint.resolve("/model/v1/generation"), JSON.writeValueAsBytes(body), key)
                .build();
    }

    @Override
    public SubmitAccepted readSubmitted(
            TaskSpec task, ProviderReply reply, ProviderEndpoint endpoint, Instant submittedAt)
            throws MalformedReplyException {
        JsonNode json = ReplyJson.object(reply, null);
        String id = submittedId(json, "id", "task id");
        return new SubmitAccepted(
                handle(task, id, endpoint.taskUrl("model/v1/generation/task", id), submittedAt), cost(json));
    }

    @Override
    protected PollOutcome outcome(TaskHandle handle, String status, JsonNode json) throws MalformedReplyException {
        if (RUNNING.contains(status)) {
            return new PollOutcome.Running(status, ReplyJson.percent(json.get("progress")));
        }
        return switch (status) {
            case "completed" -> completed(handle, status, json);
            // Vtrix documents no moderation status or code: moderation arrives here, as a failure.
            case "failed" -> failed(status, json.get("error"));
            default -> HttpAnswers.unknownStatus(status);
        };
    }

    private static PollOutcome completed(TaskHandle handle, String status, JsonNode json)
            throws MalformedReplyException {
        List<String> urls = new ArrayList<>();
        for (JsonNode output : json.path("output")) {
            for (JsonNode content : output.path("content")) {
                String url = text(content, "url");
                if (url != null && !url.isBlank()) {
                    urls.add(url);
                }
            }
        }
        if (urls.isEmpty()) {
            throw new MalformedReplyException(
                    "the task is completed but its answer has no output[].content[].url", handle.taskId());
        }
        return new PollOutcome.Ready(status, urls, null, cost(json));
    }

    /** The docs describe {@code error{code,message}}, the CLI reads a plain string: both are taken. */
    private static PollOutcome failed(String status, JsonNode error) {
        String code = null;
        String message = null;
        if (error != null && error.isObject()) {
            code = text(error, "code");
            message = text(error, "message");
        } else if (error != null && !error.isNull()) {
            message = error.asText();
        }
        return new PollOutcome.Failed(
                status,
                code == null ? "failed" : code,
                message == null || message.isBlank()
                        ? "Vtrix reports the task failed without a message"
                        : ReplyJson.shorten(message),
                Billing.MAYBE_BILLED);
    }

    /** {@code usage.cost} is a string of US dollars; {@code null} when absent or unreadable. */
    static Cost cost(JsonNode json) {
        String usd = text(json, "usage", "cost");
        if (usd == null || usd.isBlank()) {
            return null;
        }
        try {
            return Cost.reported(new BigDecimal(usd.trim()));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
