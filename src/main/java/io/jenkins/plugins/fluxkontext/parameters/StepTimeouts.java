package io.jenkins.plugins.fluxkontext.parameters;

import io.jenkins.plugins.fluxkontext.core.engine.GenerationEngine;
import io.jenkins.plugins.fluxkontext.core.model.Violation;
import java.time.Duration;

/**
 * A step's two timeouts: {@code timeout}, for the whole request from the first submit to the last download, and
 * {@code pollTimeout} (global configuration only), for one call to the provider. {@code null} means the engine's
 * default; the global configuration's value, when set, comes first ({@link ConfiguredDefaults}).
 */
final class StepTimeouts {

    static final int DEFAULT_TIMEOUT_SECONDS = (int) GenerationEngine.DEFAULT_TOTAL_TIMEOUT.toSeconds();
    static final int MAX_TIMEOUT_SECONDS = 24 * 60 * 60;
    static final int DEFAULT_POLL_TIMEOUT_SECONDS = (int) GenerationEngine.DEFAULT_READ_TIMEOUT.toSeconds();
    static final int MAX_POLL_TIMEOUT_SECONDS = 10 * 60;

    private StepTimeouts() {}

    /** {@code null} when {@code seconds} is unset or allowed, else the problem, naming the field {@code timeout}. */
    static Violation checkTimeout(Integer seconds) {
        return check("timeout", seconds, MAX_TIMEOUT_SECONDS);
    }

    /** {@code null} when {@code seconds} is unset or allowed, else the problem, naming the field {@code pollTimeout}. */
    static Violation checkPollTimeout(Integer seconds) {
        return check("pollTimeout", seconds, MAX_POLL_TIMEOUT_SECONDS);
    }

    static Duration timeout(Integer seconds) {
        return Duration.ofSeconds(seconds == null ? DEFAULT_TIMEOUT_SECONDS : seconds);
    }

    static Duration pollTimeout(Integer seconds) {
        return Duration.ofSeconds(seconds == null ? DEFAULT_POLL_TIMEOUT_SECONDS : seconds);
    }

    private static Violation check(String field, Integer seconds, int max) {
        if (seconds == null || (seconds >= 1 && seconds <= max)) {
            return null;
        }
        return new Violation(field, Integer.toString(seconds), "use 1 to " + max + " seconds");
    }
}
