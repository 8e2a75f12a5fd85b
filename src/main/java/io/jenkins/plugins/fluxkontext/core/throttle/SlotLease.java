package io.jenkins.plugins.fluxkontext.core.throttle;

/**
 * Slots held by one caller. Closing gives them back; closing again does nothing. Use try-with-resources so the slots
 * come back when the holder fails.
 */
public interface SlotLease extends AutoCloseable {

    /** A lease that holds nothing, for callers that are not throttled. */
    SlotLease NONE = new SlotLease() {
        @Override
        public int granted() {
            return 0;
        }

        @Override
        public void close() {}
    };

    /** How many slots this lease holds: at least one, at most what was asked for. */
    int granted();

    @Override
    void close();
}
