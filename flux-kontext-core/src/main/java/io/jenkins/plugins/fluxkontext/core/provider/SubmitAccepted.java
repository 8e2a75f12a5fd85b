package io.jenkins.plugins.fluxkontext.core.provider;

import io.jenkins.plugins.fluxkontext.core.engine.Cost;
import io.jenkins.plugins.fluxkontext.core.engine.TaskHandle;

/** The provider created the task: how to find it again, and what it says it will charge (null when it does not say). */
public record SubmitAccepted(TaskHandle handle, Cost cost) {
}
