package io.jenkins.plugins.fluxkontext.core.provider.fal;

import static io.jenkins.plugins.fluxkontext.core.provider.ReplyJson.JSON;
import static io.jenkins.plugins.fluxkontext.core.provider.ReplyJson.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import okhttp3.Request;

/**
 * Runflow (https://docs.runflow.io/concepts/runs): its own runs API ({@code Authorization: Bearer},
 * {@code POST /v1/models/{model}/runs} with {@code {"input":{…}}}, then {@code GET /v1/runs/{id}} until
 * {@code status_code} ends) carrying fal's Kontext input, up to four images per task. A separate class from
 * {@link FalDialect} because only the input is shared: the host, the auth scheme, the lifecycle, the statuses and the
 * output (Runflow's own normalized {@code outputs[]}) all differ.
 */
public final class RunflowDialect extends StatusPollingDialect {

    public static final String ID = "runflow";
    public static final URI DEFAULT_BASE = URI.create("https://api.runflow.io");

    private static final Set<String> RUNNING = Set.of("queued", "dispatching", "running");
    private final FalKontextInput kontext = new FalKontextInput("Runflow");

    public RunflowDialect() {
        super(ID, "Runflow", DEFAULT_BASE, KeyHeader.BEARER);
    }

    @Override
    public List<Violation> unsupported(GenerationRequest request) {
        return kontext.unsupported(request);
    }

    @Override
    public List<TaskSpec> plan(GenerationRequest request) {
        return FalKontextInput.plan(request);
    }

    /**
     * UNCONFIRMED: only {@code black-forest-labs/flux-pro/kontext} ([pro], edit) is a run model id Runflow documents
     * (https://docs.runflow.io/models/black-forest-labs/flux-pro/kontext). [max], text-to-image and multi-image follow
     * fal's endpoint names under Runflow's owner, by analogy.
     */
    static String modelId(GenerationRequest request) {
        return "black-forest-labs/" + FalKontextInput.variantPath(request);
    }

    @Override
    public Request submitRequest(TaskSpec task, GenerationRequest request, ProviderEndpoint endpoint, ApiKey key)
            throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.set("input", kontext.input(task, request));
        return postJson(endpoint.resolve("/v1/models/" + modelId(request) + "/runs"), JSON.writeValueAsBytes(body), key)
                .build();
    }

    @Override
    public SubmitAccepted readSubmitted(
            TaskSpec task, ProviderReply reply, ProviderEndpoint endpoint, Instant submittedAt)
            throws MalformedReplyException {
        String id = submittedId(ReplyJson.object(reply, null), "id", "run id");
        return new SubmitAccepted(handle(task, id, endpoint.taskUrl("v1/runs", id), submittedAt), null);
    }

    @Override
    protected String statusField() {
        return "status_code";
    }

    @Override
    protected String statusDocument() {
        return "run";
    }

    @Override
    protected PollOutcome outcome(TaskHandle handle, String status, JsonNode json) throws MalformedReplyException {
        if (RUNNING.contains(status)) {
            return new PollOutcome.Running(status, null);
        }
        return switch (status) {
            case "succeeded" -> succeeded(handle, status, json.path("output"));
            case "failed" -> {
                String message = failureMessage(json);
                yield new PollOutcome.Failed(
                        status,
                        "failed",
                        message == null
                                ? "Runflow reports the run failed without a failure_message"
                                : ReplyJson.shorten(message),
                        Billing.MAYBE_BILLED);
            }
            // The spelling of Runflow's lifecycle and of its official SDK (RunStatus in runflow-io/runflow-js).
            case "canceled" -> new PollOutcome.Cancelled(status, Billing.MAYBE_BILLED);
            // partial_succeeded belongs to Runflow's batch runs, which we never start: like any other, a failure.
            default -> HttpAnswers.unknownStatus(status);
        };
    }

    /**
     * Runflow normalizes what a model returns: on a succeeded run, {@code output} carries {@code outputs[]} (each with
     * at least {@code url}), {@code seed}, {@code timing} and {@code nsfw_detected}, and its docs ask clients to read
     * these and "do not write fallback chains for provider-specific fields" (https://docs.runflow.io/concepts/runs).
     * So the images are {@code outputs[].url} and nothing else; {@code nsfw_detected} (true, or true for any output)
     * is moderation of the output.
     */
    static PollOutcome succeeded(TaskHandle handle, String status, JsonNode output) throws MalformedReplyException {
        JsonNode nsfw = output.path("nsfw_detected");
        boolean flagged = nsfw.asBoolean(false);
        for (JsonNode flag : nsfw) {
            flagged |= flag.asBoolean(false);
        }
        if (flagged) {
            return new PollOutcome.Moderated(
                    status,
                    ModerationSide.OUTPUT,
                    List.of("Runflow flagged the output (nsfw_detected)"),
                    Billing.MAYBE_BILLED);
        }
        List<String> urls = new ArrayList<>();
        for (JsonNode item : output.path("outputs")) {
            String url = text(item, "url");
            if (url != null && !url.isBlank()) {
                urls.add(url);
            }
        }
        if (urls.isEmpty()) {
            throw new MalformedReplyException("the run succeeded but its output has no outputs[].url", handle.taskId());
        }
        JsonNode seed = output.get("seed");
        return new PollOutcome.Ready(status, urls, seed != null && seed.canConvertToLong() ? seed.asLong() : null);
    }

    /**
     * Runflow's docs name {@code failure_message}; its official SDK reads the failed run's {@code error.message}. The
     * first one present, with the error's code when it has one.
     */
    private static String failureMessage(JsonNode run) {
        String message = text(run, "failure_message");
        if (message != null && !message.isBlank()) {
            return message;
        }
        String error = text(run, "error", "message");
        String code = text(run, "error", "code");
        if (error == null || error.isBlank()) {
            return null;
        }
        return code == null || code.isBlank() ? error : code + ": " + error;
    }
}
