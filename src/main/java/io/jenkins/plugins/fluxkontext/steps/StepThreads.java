package io.jenkins.plugins.fluxkontext.steps;

import hudson.Extension;
import hudson.model.listeners.ItemListener;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The steps' own threads: blocking work (throttle, agent job, archiving) never runs on the CPS VM thread. One pool per
 * running Jenkins, ended with it.
 *
 * <p>Why it ends with Jenkins: a step's program is saved when Jenkins stops and the step is taken up again when
 * Jenkins starts ({@code onResume}). A thread of the Jenkins that stopped must not go on working for the step then:
 * it would complete the step on the old program, write abort lines into a log the new Jenkins is writing, or charge a
 * reservation the resumed step settles again. A Jenkins that restarts in the same JVM (a test's restart, or a restart
 * without a new process) would otherwise keep such threads alive. So when Jenkins begins to stop, the pool stops:
 * its threads are told ({@link #isStopping}) and end without touching the step; each is interrupted, except while it
 * waits for its agent job. That one is left to end when Jenkins closes the agent's channel a moment later: an interrupt
 * would be sent to the agent as an abort, and the agent would cancel tasks the resumed step is about to poll.
 *
 * <p>Public only so that Jenkins can make its {@link StopWithJenkins} extension.
 */
public final class StepThreads {

    private static final AtomicInteger GENERATIONS = new AtomicInteger();

    /** Guarded by {@code StepThreads.class}. */
    private static StepThreads current;

    private final ExecutorService pool;
    private final Set<Thread> workers = ConcurrentHashMap.newKeySet();
    /** Guarded by {@code this}, with {@link #stopping}. */
    private final Set<Thread> inAgentJob = ConcurrentHashMap.newKeySet();

    private volatile boolean stopping;

    private StepThreads() {
        String name = "FLUX.1 Kontext step #" + GENERATIONS.incrementAndGet();
        pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(
                    () -> {
                        workers.add(Thread.currentThread());
                        try {
                            r.run();
                        } finally {
                            workers.remove(Thread.currentThread());
                        }
                    },
                    name);
            t.setDaemon(true);
            return t;
        });
    }

    /** The pool of the running Jenkins; a new one once the last has stopped. */
    static synchronized StepThreads current() {
        if (current == null || current.stopping) {
            current = new StepThreads();
        }
        return current;
    }

    Future<?> submit(Runnable work) {
        return pool.submit(work);
    }

    /** Whether the Jenkins these threads belong to is stopping: a step on them must end without being completed. */
    boolean isStopping() {
        return stopping;
    }

    /** Work that waits for an agent job ({@code FilePath.act}), which stopping Jenkins must not interrupt. */
    @FunctionalInterface
    interface AgentJob<T, E extends Exception> {
        T run() throws E, InterruptedException;
    }

    /** Runs {@code job} marked as waiting for the agent; refused once Jenkins is stopping. */
    <T, E extends Exception> T waitForAgent(AgentJob<T, E> job) throws E, InterruptedException {
        Thread me = Thread.currentThread();
        synchronized (this) {
            if (stopping) {
                throw new InterruptedException("Jenkins is stopping");
            }
            inAgentJob.add(me);
        }
        try {
            return job.run();
        } finally {
            synchronized (this) {
                inAgentJob.remove(me);
                if (stopping) {
                    // Whatever comes next for this step (waiting for the agent, archiving) is not this Jenkins' to do.
                    me.interrupt();
                }
            }
        }
    }

    /** Jenkins begins to stop: no new work, every thread told, and interrupted unless it waits for its agent job. */
    private void stop() {
        synchronized (this) {
            stopping = true;
            for (Thread t : workers) {
                if (!inAgentJob.contains(t)) {
                    t.interrupt();
                }
            }
        }
        pool.shutdown();
    }

    /** Stops the current pool; Jenkins calls this at the beginning of its shutdown, before it saves the programs. */
    static void stopCurrent() {
        StepThreads stopping;
        synchronized (StepThreads.class) {
            stopping = current;
            current = null;
        }
        if (stopping != null) {
            stopping.stop();
        }
    }

    /** {@code onBeforeShutdown}: "called at the beginning of the orderly shutdown sequence to allow plugins to clean up". */
    @Extension
    public static final class StopWithJenkins extends ItemListener {

        @Override
        public void onBeforeShutdown() {
            stopCurrent();
        }
    }
}
