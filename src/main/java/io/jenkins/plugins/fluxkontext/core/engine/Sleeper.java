package io.jenkins.plugins.fluxkontext.core.engine;

import java.time.Duration;

/** Waits between polls and retries. Replaceable so that tests of backoff neither sleep nor depend on timing. */
@FunctionalInterface
public interface Sleeper {

    /** Sleeps on the calling thread; an interrupt ends the sleep at once. */
    Sleeper SYSTEM = duration -> Thread.sleep(duration);

    void sleep(Duration duration) throws InterruptedException;
}
