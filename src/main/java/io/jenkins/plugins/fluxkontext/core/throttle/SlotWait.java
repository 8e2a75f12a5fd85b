package io.jenkins.plugins.fluxkontext.core.throttle;

/**
 * A caller has to wait for a slot.
 *
 * @param inUse slots of this provider and key in use when the wait began
 * @param limit slots allowed for this provider and key
 * @param ahead callers queued before this one
 */
public record SlotWait(int inUse, int limit, int ahead) {

    /** {@code waiting for a free slot: 6 of 6 in use}: the build log's line while a request waits. */
    public String line() {
        return "waiting for a free slot: " + inUse + " of " + limit + " in use";
    }
}
