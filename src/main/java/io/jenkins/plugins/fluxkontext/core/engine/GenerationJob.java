package io.jenkins.plugins.fluxkontext.core.engine;

import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
import io.jenkins.plugins.fluxkontext.core.output.OutputPlan;
import io.jenkins.plugins.fluxkontext.core.provider.ApiKey;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderEndpoint;
import io.jenkins.plugins.fluxkontext.core.reuse.ReuseSource;

/**
 * One request to run: what to make, where to send it, with which key, where the images go, and where earlier images
 * may be found instead of paying for them again.
 *
 * @param reuse where to look for an image with the same fingerprint before submitting its task ({@link ReuseSource#NONE}
 *              to make every image)
 */
public record GenerationJob(
        GenerationRequest request, ProviderEndpoint endpoint, ApiKey apiKey, OutputPlan output, ReuseSource reuse) {

    public GenerationJob {
        reuse = reuse == null ? ReuseSource.NONE : reuse;
    }

    /** A job that makes every image. */
    public GenerationJob(GenerationRequest request, ProviderEndpoint endpoint, ApiKey apiKey, OutputPlan output) {
        this(request, endpoint, apiKey, output, ReuseSource.NONE);
    }

    /** This job with its request replaced (input images uploaded first, for a provider that takes URLs only). */
    GenerationJob withRequest(GenerationRequest replaced) {
        return new GenerationJob(replaced, endpoint, apiKey, output, reuse);
    }
}
