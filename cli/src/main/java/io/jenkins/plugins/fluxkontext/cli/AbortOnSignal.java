package io.jenkins.plugins.fluxkontext.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C (SIGINT) or SIGTERM while a request runs. Left alone, the JVM would just end: a download's {@code .part}
 * file stays behind, and the user never learns which task the provider accepted and may bill. Instead the request's
 * thread is interrupted, as an abort in Jenkins interrupts a build: the engine cancels its calls, removes its
 * temporary files and says what became of each task, and the JVM ends only once the command has printed that (or
 * after {@link #GRACE_SECONDS}).
 */
final class AbortOnSignal implements AutoCloseable {

    /** The engine's own abort takes at most about 13 s (its workers' grace, then the cancels). */
    static final long GRACE_SECONDS = 20;

    private final CountDownLatch reported = new CountDownLatch(1);
    private final Thread hook;

    private AbortOnSignal(Thread request) {
        hook = new Thread(
                () -> {
                    request.interrupt();
                    try {
                        reported.await(GRACE_SECONDS, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "flux-kontext-abort-on-signal");
    }

    /** From now until {@link #close}, a signal interrupts the calling thread and waits for it to report. */
    static AbortOnSignal forThisThread() {
        AbortOnSignal signal = new AbortOnSignal(Thread.currentThread());
        Runtime.getRuntime().addShutdownHook(signal.hook);
        return signal;
    }

    /** The request has said everything it had to say; a signal from now on just ends the JVM. */
    @Override
    public void close() {
        reported.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running: it was waiting for the count-down above and now lets the JVM end.
        }
    }
}
