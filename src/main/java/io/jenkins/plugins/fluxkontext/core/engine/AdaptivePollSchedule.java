package io.jenkins.plugins.fluxkontext.core.engine;

import java.time.Duration;

/**
 * The default {@link PollSchedule}: a first poll after a second (as BFL's reference client; moderation shows there),
 * then polls placed where the provider's progress says the task will end, so that the end is seen soon after it
 * happens without asking all the time in between.
 *
 * <p><b>With progress.</b> A task at {@code p} % after {@code t} has, if its progress grows evenly from the submit,
 * a total duration of {@code t·100/p}. The provider rounds {@code p} to a whole percent (or coarser), so the end lies
 * in a window: no later than {@code t·100/(p−½)}, and no earlier than {@code t·100/(p+½)} if the provider's clock
 * started when we sent the submit. It starts a little later (the request's way there, the provider's own work before
 * it counts), which moves the end earlier by that delay times {@code 100/p − 1}: a lot for an early reading. So the
 * earliest end assumes the clock started up to {@code startSlack} after the send. The window is narrow when {@code p}
 * was read late in the task and wide when read early. Then:
 * <ul>
 *   <li>a window narrower than {@code sharp}, or one read late (80 % or more) that is narrower than {@code step}:
 *       the next poll goes just after its end; the task is then over, at most the window's width ago;</li>
 *   <li>a window that opens more than {@code step} from now: wait 90 % of the way to its opening and read the
 *       progress again there, which narrows it (never longer than {@code ceiling});</li>
 *   <li>inside a wide window: poll in even steps of at most {@code step} up to its end, so the end is seen at most
 *       {@code step} after it happens.</li>
 * </ul>
 * 99 % gives no earliest end (providers hold it until the task is done), and 100 % on a task that is still running
 * none at all: then every {@code step}.
 *
 * <p><b>Without progress</b> (or at 0 %, which may only mean "queued"): assume a task takes about {@code typical};
 * wait in steps of at most {@code ceiling} until 60 % of that, then poll every {@code near}.
 *
 * <p><b>Never more than a budget:</b> whatever the above says, by time {@code t} at most {@code burst + t/sustained}
 * polls: a provider whose progress misleads (stuck at 99 %, a task that never ends) costs at most one request per
 * {@code sustained}, fewer than a fixed 500 ms poll.
 *
 * <p>The numbers are tuned by the poll-lag benchmark ({@code scripts/bench}, BENCHMARKS.md: p95 detection lag of
 * 250 ms or less with fewer requests than a fixed 500 ms poll); change them here, nowhere else. The estimate assumes
 * progress counted from the submit: a provider that holds a task longer than {@code startSlack} before its progress
 * starts (a queue) makes the estimate late, and the end is then seen up to {@code ceiling} late.
 *
 * @param first      the wait before the first poll
 * @param step       the widest gap between polls while the end may be happening; the worst detection lag
 * @param sharp      a window this narrow is not narrowed further: one poll at its end
 * @param ceiling    the longest wait while the task runs
 * @param typical    how long a task is assumed to take when the provider reports no progress
 * @param near       the gap between polls once a task without progress is probably nearly done
 * @param burst      polls allowed beyond the sustained rate
 * @param sustained  the shortest average gap between polls over a task's life, once the burst is spent
 * @param startSlack how much later than our send the provider's clock for the task may start
 */
public record AdaptivePollSchedule(
        Duration first,
        Duration step,
        Duration sharp,
        Duration ceiling,
        Duration typical,
        Duration near,
        int burst,
        Duration sustained,
        Duration startSlack)
        implements PollSchedule {

    /**
     * Tuned on the simulator's linear progress for tasks of 2, 10 and 60 s (BENCHMARKS.md). FLUX.1 Kontext [max]
     * typically needs some 5 to 10 s on BFL.
     */
    public static final AdaptivePollSchedule DEFAULT = new AdaptivePollSchedule(
            Duration.ofSeconds(1),
            Duration.ofMillis(150),
            Duration.ofMillis(50),
            Duration.ofSeconds(10),
            Duration.ofSeconds(6),
            Duration.ofMillis(250),
            5,
            Duration.ofSeconds(1),
            Duration.ofMillis(250));

    /** Share of the way to the window's opening waited before reading the progress again. */
    private static final double APPROACH = 0.9;
    /** From this percent on, a second reading would narrow the window little. */
    private static final int LATE_PERCENT = 80;
    /** Added to a poll aimed at the window's end: the provider's own timer and our sleep are a little late. */
    private static final long AIM_PAST_END_MILLIS = 10;

    public AdaptivePollSchedule {
        for (Duration d : new Duration[] {first, step, sharp, ceiling, typical, near, sustained, startSlack}) {
            if (d == null || d.isNegative()) {
                throw new IllegalArgumentException("every wait must be zero or more");
            }
        }
        if (step.isZero() || ceiling.compareTo(step) < 0) {
            throw new IllegalArgumentException("need 0 < step <= ceiling, not step " + step + ", ceiling " + ceiling);
        }
        if (burst < 1) {
            throw new IllegalArgumentException("burst must be at least 1, not " + burst);
        }
    }

    @Override
    public Duration nextDelay(int pollsSoFar, Duration sinceSubmit, Integer percent) {
        if (pollsSoFar == 0) {
            return first;
        }
        long elapsed = Math.max(1, sinceSubmit.toMillis());
        long wait = percent == null || percent <= 0 ? withoutProgress(elapsed) : byProgress(elapsed, percent);
        // The budget: the (pollsSoFar+1)-th poll not before (pollsSoFar + 1 - burst) sustained gaps have passed.
        long budgetAllows = (pollsSoFar + 1L - burst) * sustained.toMillis() - elapsed;
        return Duration.ofMillis(Math.max(wait, budgetAllows));
    }

    private long byProgress(long elapsed, int percent) {
        long step = this.step.toMillis();
        if (percent >= 100) {
            return step;
        }
        // Half a percent either side of what was reported; 99 % may be held until the end, so it bounds only the end.
        long slack = Math.min(startSlack.toMillis(), elapsed);
        long earliest = percent >= 99
                ? elapsed
                : Math.max(elapsed, slack + Math.round((elapsed - slack) * 100 / (percent + 0.5)));
        long latest = Math.round(elapsed * 100 / Math.max(percent - 0.5, 0.25));
        long width = latest - earliest;
        if (width <= sharp.toMillis() || (percent >= LATE_PERCENT && width <= step)) {
            return clamp(latest - elapsed + AIM_PAST_END_MILLIS);
        }
        long untilOpening = earliest - elapsed;
        if (untilOpening > step) {
            return clamp(Math.max(step, Math.round(untilOpening * APPROACH)));
        }
        long untilEnd = latest - elapsed;
        long steps = Math.max(1, (untilEnd + step - 1) / step);
        return clamp(untilEnd / steps + (steps == 1 ? AIM_PAST_END_MILLIS : 0));
    }

    private long withoutProgress(long elapsed) {
        long untilLikelyDone = typical.toMillis() * 6 / 10 - elapsed;
        long near = this.near.toMillis();
        return untilLikelyDone > near ? Math.min(untilLikelyDone, ceiling.toMillis()) : near;
    }

    private long clamp(long millis) {
        return Math.max(1, Math.min(millis, ceiling.toMillis()));
    }
}
