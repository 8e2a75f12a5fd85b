package io.jenkins.plugins.fluxkontext.core.engine;

import java.time.Duration;

/**
 * When to ask a running task for its status next. Polling too often costs requests (and rate-limit budget); too
 * rarely, the image waits for us (and BFL's signed link ages). The engine clamps the answer to its deadline.
 */
@FunctionalInterface
public interface PollSchedule {

    /**
     * @param pollsSoFar   status requests already answered for this task (0 before the first)
     * @param sinceSubmit  time since the provider accepted the task
     * @param percent      the provider's last reported progress, 0 to 100, or {@code null} when it reports none
     * @return how long to wait before the next status request
     */
    Duration nextDelay(int pollsSoFar, Duration sinceSubmit, Integer percent);
}
