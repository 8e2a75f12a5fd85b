package io.jenkins.plugins.fluxkontext.config;

import hudson.Extension;
import hudson.ExtensionList;
import io.jenkins.plugins.fluxkontext.core.throttle.TaskThrottle;

/**
 * The throttle on tasks in flight per provider and API key, with the limits administrators set for each provider
 * ({@link ProviderSettings#getTasksInFlight()}). One instance per controller (an extension), so builds of all jobs
 * queue in the same line. It lives beside the configuration it enforces: the configuration tells it when the limits
 * change, and it reads them from there.
 */
@Extension
public final class ProviderThrottle {

    private final TaskThrottle throttle =
            new TaskThrottle(provider -> FluxKontextGlobalConfiguration.get().tasksInFlightFor(provider));

    public static ProviderThrottle get() {
        return ExtensionList.lookupSingleton(ProviderThrottle.class);
    }

    public TaskThrottle throttle() {
        return throttle;
    }
}
