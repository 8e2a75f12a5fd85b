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
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import okhttp3.Request;

/**
 * Runflow (providers.md §6): its own runs API ({@code Authorization: Bearer}, {@code POST /v1/models/{model}/runs}
 * with {@code {"input":{…}}}, then {@code GET /v1/runs/{id}} until {@code status_code} ends) carrying fal's Kontext
 * input, up to four images per task. A separate class from {@link FalDialect} because only the input is shared: the
 * host, the auth scheme, the lifecycle and the statuses all differ.
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
     * UNCONFIRMED (providers.md §6): only {@code black-forest-labs/flux-pro/kontext} ([pro], edit) is a confirmed run
     * model id. [max], text-to-image and multi-image follow fal's endpoint names under Runflow's owner, by analogy.
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
            case "succeeded" -> FalKontextInput.output(status, output(json), handle.taskId());
            case "failed" -> {
                String message = text(json, "failure_message");
                yield new PollOutcome.Failed(
                        status,
                        "failed",
                        message == null || message.isBlank()
                                ? "Runflow reports the run failed without a failure_message"
                                : ReplyJson.shorten(message),
                        Billing.MAYBE_BILLED);
            }
            case "cancelled" -> new PollOutcome.Cancelled(status, Billing.MAYBE_BILLED);
            // partial_succeeded belongs to Runflow's batch runs, which we never start: like any other, a failure.
            default -> HttpAnswers.unknownStatus(status);
        };
    }

    /**
     * UNCONFIRMED (providers.md §6): where a finished run keeps the model output. Read as fal's output document
     * ({@code images[].url}, {@code has_nsfw_concepts}) in the run's {@code output} field.
     */
    static JsonNode output(JsonNode run) {
        return run.path("output");
    }
}
