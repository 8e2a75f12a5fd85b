package io.jenkins.plugins.fluxkontext.core.throttle;

/**
 * Told once when a caller starts to wait for a slot, before it blocks, so the build log can say why the build is
 * idle. Called on the waiting thread, without any throttle lock held. An exception thrown here gives the caller's
 * place in the queue back and reaches the caller.
 */
@FunctionalInterface
public interface SlotWaitListener {

    SlotWaitListener NONE = wait -> {};

    void waiting(SlotWait wait);
}
