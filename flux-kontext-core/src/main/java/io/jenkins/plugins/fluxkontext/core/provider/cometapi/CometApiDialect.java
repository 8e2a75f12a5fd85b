package io.jenkins.plugins.fluxkontext.core.provider.cometapi;

import static io.jenkins.plugins.fluxkontext.core.provider.ReplyJson.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.fluxkontext.core.engine.Billing;
import io.jenkins.plugins.fluxkontext.core.engine.TaskHandle;
import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
import io.jenkins.plugins.fluxkontext.core.model.Violation;
import io.jenkins.plugins.fluxkontext.core.provider.ApiKey;
import io.jenkins.plugins.fluxkontext.core.provider.HttpAnswers;
import io.jenkins.plugins.fluxkontext.core.provider.MalformedReplyException;
import io.jenkins.plugins.fluxkontext.core.provider.PollOutcome;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderDialect;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderEndpoint;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderReply;
import io.jenkins.plugins.fluxkontext.core.provider.ReplyJson;
import io.jenkins.plugins.fluxkontext.core.provider.SubmitAccepted;
import io.jenkins.plugins.fluxkontext.core.provider.SubmitRefusal;
import io.jenkins.plugins.fluxkontext.core.provider.TaskSpec;
import io.jenkins.plugins.fluxkontext.core.provider.bfl.BflDialect;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * CometAPI's BFL-compatible route (providers.md §3.3): {@code Authorization: Bearer}, {@code POST /flux/v1/{model}}
 * with BFL's Kontext body, then {@code GET /flux/v1/get_result?id=} answering in BFL's statuses. One image per task.
 * Its OpenAI-style {@code /v1/images/generations} route is not used: whether it is synchronous, and how it takes an
 * input image, is undocumented.
 */
public final class CometApiDialect implements ProviderDialect {

    public static final String ID = "cometapi";
    public static final URI DEFAULT_BASE = URI.create("https://api.cometapi.com");

    private static final MediaType APPLICATION_JSON = MediaType.get("application/json");
    private final BflDialect bfl = new BflDialect();

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String displayName() {
        return "CometAPI";
    }

    @Override
    public URI defaultBaseUrl() {
        return DEFAULT_BASE;
    }

    /**
     * The BFL body goes through as it is. UNCONFIRMED (providers.md §3.3): that CometAPI passes on
     * {@code input_image}..{@code input_image_4} and {@code aspect_ratio} for Kontext; its page documents the generic
     * FLUX parameters and defers to BFL's docs. Nothing is refused here.
     */
    @Override
    public List<Violation> unsupported(GenerationRequest request) {
        return List.of();
    }

    /** UNCONFIRMED (providers.md §3.3): the Kontext path by extension of the documented FLUX paths. */
    static String submitPath(GenerationRequest request) {
        return "/flux/v1/" + request.model().id();
    }

    @Override
    public Request submitRequest(TaskSpec task, GenerationRequest request, ProviderEndpoint endpoint, ApiKey key)
            throws IOException {
        return authorized(key).url(endpoint.resolve(submitPath(request)))
                .post(RequestBody.create(BflDialect.kontextBody(task, request), APPLICATION_JSON)).build();
    }

    private static Request.Builder authorized(ApiKey key) {
        return new Request.Builder().header("Authorization", "Bearer " + key.reveal())
                .header("Accept", "application/json");
    }

    /**
     * Polls CometAPI's own {@code get_result?id=}, not the returned {@code polling_url}, which may name BFL's host
     * (providers.md §3.3 prefers get_result until that is verified).
     */
    @Override
    public SubmitAccepted readSubmitted(TaskSpec task, ProviderReply reply, ProviderEndpoint endpoint,
            Instant submittedAt) throws MalformedReplyException {
        JsonNode json = ReplyJson.object(reply, null);
        String id = text(json, "id");
        if (id == null || id.isBlank()) {
            throw new MalformedReplyException("the submit answer has no task id", null);
        }
        String pollingUrl = endpoint.base().newBuilder().addPathSegments("flux/v1/get_result")
                .addQueryParameter("id", id).build().toString();
        // CometAPI's cost figure (if any) is not documented; BFL's credits are not CometAPI's prices.
        return new SubmitAccepted(new TaskHandle(ID, id, pollingUrl, null, null, task.index(), task.imageCount(),
                submittedAt), null);
    }

    @Override
    public SubmitRefusal readRefusal(ProviderReply reply) {
        return HttpAnswers.refusal(reply);
    }

    @Override
    public Request pollRequest(TaskHandle handle, ProviderEndpoint endpoint, ApiKey key) {
        return authorized(key).url(handle.pollingUrl()).get().build();
    }

    /**
     * BFL's statuses (Pending, Ready, Error, Request/Content Moderated, Task not found) read as BFL reads them.
     * UNCONFIRMED: that CometAPI passes the moderation statuses through, and whether it charges for them, so a
     * moderated task counts as maybe billed here.
     */
    @Override
    public PollOutcome readPoll(TaskHandle handle, ProviderReply reply) throws MalformedReplyException {
        PollOutcome outcome = bfl.readPoll(handle, reply);
        if (outcome instanceof PollOutcome.Moderated moderated) {
            return new PollOutcome.Moderated(moderated.status(), moderated.side(), moderated.reasons(),
                    Billing.MAYBE_BILLED);
        }
        return outcome;
    }
}
