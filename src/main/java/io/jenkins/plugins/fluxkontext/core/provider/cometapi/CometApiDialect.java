package io.jenkins.plugins.fluxkontext.core.provider.cometapi;

import static io.jenkins.plugins.fluxkontext.core.provider.ReplyJson.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
import io.jenkins.plugins.fluxkontext.core.model.Violation;
import io.jenkins.plugins.fluxkontext.core.provider.ApiKey;
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
import io.jenkins.plugins.fluxkontext.core.task.TaskHandle;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.Request;

/**
 * CometAPI's BFL-compatible route (https://apidoc.cometapi.com/api/image/flux/flux-generate-image and flux-query):
 * {@code Authorization: Bearer}, {@code POST /flux/v1/{model}} with BFL's Kontext body, then
 * {@code GET /flux/v1/get_result?id=} answering in BFL's statuses. One image per task. Its OpenAI-style
 * {@code /v1/images/generations} route is not used: whether it is synchronous, and how it takes an input image, is
 * undocumented.
 */
public final class CometApiDialect extends StatusPollingDialect {

    public static final String ID = "cometapi";
    public static final URI DEFAULT_BASE = URI.create("https://api.cometapi.com");

    public CometApiDialect() {
        super(ID, "CometAPI", DEFAULT_BASE, KeyHeader.BEARER);
    }

    /**
     * The BFL body goes through as it is. UNCONFIRMED (CometAPI's FLUX page): that CometAPI passes on
     * {@code input_image}..{@code input_image_4} and {@code aspect_ratio} for Kontext; its page documents the generic
     * FLUX parameters and defers to BFL's docs. Nothing is refused here.
     */
    @Override
    public List<Violation> unsupported(GenerationRequest request) {
        return List.of();
    }

    /** UNCONFIRMED: the Kontext path, by extension of the FLUX paths CometAPI documents. */
    static String submitPath(GenerationRequest request) {
        return "/flux/v1/" + request.model().id();
    }

    @Override
    public Request submitRequest(TaskSpec task, GenerationRequest request, ProviderEndpoint endpoint, ApiKey key)
            throws IOException {
        byte[] body = JSON.writeValueAsBytes(BflDialect.kontextInput(task, request));
        return postJson(endpoint.resolve(submitPath(request)), body, key).build();
    }

    /**
     * Polls CometAPI's own {@code get_result?id=}, not the returned {@code polling_url}, which may name BFL's host:
     * CometAPI documents its own flux-query route, and does not say whether the {@code polling_url} takes its key.
     */
    @Override
    public SubmitAccepted readSubmitted(
            TaskSpec task, ProviderReply reply, ProviderEndpoint endpoint, Instant submittedAt)
            throws MalformedReplyException {
        String id = submittedId(ReplyJson.object(reply, null), "id", "task id");
        HttpUrl pollingUrl = endpoint.base()
                .newBuilder()
                .addPathSegments("flux/v1/get_result")
                .addQueryParameter("id", id)
                .build();
        // CometAPI's cost figure (if any) is not documented; BFL's credits are not CometAPI's prices.
        return new SubmitAccepted(handle(task, id, pollingUrl, submittedAt), null);
    }

    /**
     * BFL's statuses (Pending, Ready, Error, Request/Content Moderated, Task not found) read as BFL reads them.
     * UNCONFIRMED: that CometAPI passes the moderation statuses through, and whether it charges for them, so a
     * moderated task counts as maybe billed here.
     */
    @Override
    protected PollOutcome outcome(TaskHandle handle, String status, JsonNode json) throws MalformedReplyException {
        PollOutcome outcome = BflDialect.statusOutcome(handle, status, json);
        if (outcome instanceof PollOutcome.Moderated moderated) {
            return new PollOutcome.Moderated(
                    moderated.status(), moderated.side(), moderated.reasons(), Billing.MAYBE_BILLED);
        }
        return outcome;
    }
}
