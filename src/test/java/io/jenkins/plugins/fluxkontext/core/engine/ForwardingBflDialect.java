package io.jenkins.plugins.fluxkontext.core.engine;

import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
import io.jenkins.plugins.fluxkontext.core.model.Violation;
import io.jenkins.plugins.fluxkontext.core.provider.ApiKey;
import io.jenkins.plugins.fluxkontext.core.provider.MalformedReplyException;
import io.jenkins.plugins.fluxkontext.core.provider.PollOutcome;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderDialect;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderEndpoint;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderReply;
import io.jenkins.plugins.fluxkontext.core.provider.SubmitAccepted;
import io.jenkins.plugins.fluxkontext.core.provider.SubmitRefusal;
import io.jenkins.plugins.fluxkontext.core.provider.TaskSpec;
import io.jenkins.plugins.fluxkontext.core.provider.bfl.BflDialect;
import io.jenkins.plugins.fluxkontext.core.task.TaskHandle;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import okhttp3.Request;

/**
 * BFL's wire as the real {@link BflDialect} speaks it, for a story's provider that differs from BFL in one thing
 * (a cancel call, a limit on images): the subclass overrides that and names itself. What {@link ProviderDialect}
 * requires is forwarded to BFL; its default methods stay the interface's.
 */
abstract class ForwardingBflDialect implements ProviderDialect {

    final BflDialect bfl = new BflDialect();

    @Override
    public String id() {
        return bfl.id();
    }

    @Override
    public URI defaultBaseUrl() {
        return bfl.defaultBaseUrl();
    }

    @Override
    public List<Violation> unsupported(GenerationRequest request) {
        return bfl.unsupported(request);
    }

    @Override
    public Request submitRequest(TaskSpec task, GenerationRequest request, ProviderEndpoint endpoint, ApiKey key)
            throws IOException {
        return bfl.submitRequest(task, request, endpoint, key);
    }

    @Override
    public SubmitAccepted readSubmitted(
            TaskSpec task, ProviderReply reply, ProviderEndpoint endpoint, Instant submittedAt)
            throws MalformedReplyException {
        return bfl.readSubmitted(task, reply, endpoint, submittedAt);
    }

    @Override
    public SubmitRefusal readRefusal(ProviderReply reply) {
        return bfl.readRefusal(reply);
    }

    @Override
    public Request pollRequest(TaskHandle handle, ProviderEndpoint endpoint, ApiKey key) {
        return bfl.pollRequest(handle, endpoint, key);
    }

    @Override
    public PollOutcome readPoll(TaskHandle handle, ProviderReply reply) throws MalformedReplyException {
        return bfl.readPoll(handle, reply);
    }
}
