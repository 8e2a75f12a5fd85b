package io.jenkins.plugins.fluxkontext.core.provider;

import io.jenkins.plugins.fluxkontext.core.engine.TaskOutcome.RejectionKind;

/** Why the provider refused a submit outright (a 4xx that proves nothing was created), in its own words. */
public record SubmitRefusal(RejectionKind kind, String reason) {
}
