package io.jenkins.plugins.fluxkontext.core.engine;

import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
import io.jenkins.plugins.fluxkontext.core.output.OutputPlan;
import io.jenkins.plugins.fluxkontext.core.provider.ApiKey;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderEndpoint;

/** One request to run: what to make, where to send it, with which key, and where the images go. */
public record GenerationJob(GenerationRequest request, ProviderEndpoint endpoint, ApiKey apiKey, OutputPlan output) {}
