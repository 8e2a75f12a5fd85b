package io.jenkins.plugins.fluxkontext.generation;

import hudson.util.Secret;
import io.jenkins.plugins.fluxkontext.action.FluxKontextAction;
import io.jenkins.plugins.fluxkontext.core.budget.SpendingLedger;
import io.jenkins.plugins.fluxkontext.core.budget.SpendingScope;
import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
import io.jenkins.plugins.fluxkontext.core.proxy.ProxySettings;
import io.jenkins.plugins.fluxkontext.core.throttle.SlotLease;

/**
 * What the controller settled before the agent job ({@link ImageGeneration#prepare}): the checked request, the key,
 * the money, the slot. Lives only on the step's thread: it holds the key, so it is never saved with the Pipeline
 * program; a resumed step prepares again.
 */
public final class PreparedRequest {
    public final GenerationRequest request;
    public final Secret apiKey;
    /** The controller's HTTP proxy, read like the key for every start; {@code null}: the agent's own. */
    public final ProxySettings proxy;

    public final String provider;
    public final int taskCount;
    public final SpendingLedger.Reservation reservation;
    public final FluxKontextAction action;
    public final SpendingScope scope;
    /** The throttle slot; {@code null} for a resumed request, whose tasks already run at the provider. */
    public final SlotLease lease;

    PreparedRequest(
            GenerationRequest request,
            Secret apiKey,
            ProxySettings proxy,
            String provider,
            int taskCount,
            SpendingLedger.Reservation reservation,
            FluxKontextAction action,
            SpendingScope scope,
            SlotLease lease) {
        this.request = request;
        this.apiKey = apiKey;
        this.proxy = proxy;
        this.provider = provider;
        this.taskCount = taskCount;
        this.reservation = reservation;
        this.action = action;
        this.scope = scope;
        this.lease = lease;
    }

    /** Frees the throttle slot, if any. */
    public void releaseSlot() {
        if (lease != null) {
            lease.close();
        }
    }
}
