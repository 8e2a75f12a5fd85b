package io.jenkins.plugins.fluxkontext.core.engine;

import java.time.Duration;

/**
 * The default {@link PollSchedule}: polls placed where the provider's progress says the task will end, or, when it
 * reports none, where this provider's and model's past tasks ended ({@link ExpectedDuration}, kept by
 * {@link TaskDurations}), so that the end is seen soon after it happens without asking all the time in between.
 *
 * <p><b>Without progress</b> (or at 0 %, which may only mean "queued"), and for the first poll, before any reading:
 * the end is a draw from the expected distribution. Seeing every end within {@code endingGap} needs a poll every
 * {@code endingGap} wherever ends happen; where they almost never do, polls are wasted. So: nothing before the
 * {@code earlyShare} quantile (plus one gap: an end just before it is seen within the gap), a poll every
 * {@code endingGap} up to the quantile that leaves {@code lateShare} in the tail, then gaps growing by half the time
 * spent in the tail. For a percentile of the lag (the 95th, say) this is what the best schedule looks like: the
 * requests go where the chance of an end is highest, and the few tasks in the skipped first second and the far tail
 * are the ones allowed to be seen later. Against a fixed poll, it saves the requests of the first second or two and
 * of the far tail, and sees the rest of the ends within {@code endingGap}.
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
 * none at all: then every {@code step}. By time {@code t} at most {@code burst + t/sustained} polls are made on
 * progress: a provider whose progress misleads (stuck at 99 %, a task that never ends) costs at most one request per
 * {@code sustained}.
 *
 * <p>A provider's documented pacing ({@code StatusPacing}) and {@code Retry-After} are applied by the engine on top:
 * this schedule may be slower, never faster. The numbers are tuned by the poll-lag benchmark ({@code scripts/bench},
 * BENCHMARKS.md); change them here, nowhere else.
 *
 * @param step       the widest gap between polls while progress says the end may be happening; its worst lag
 * @param sharp      a window this narrow is not narrowed further: one poll at its end
 * @param ceiling    the longest wait while the task runs
 * @param endingGap  without progress, the gap between polls where ends are likely: the lag of most tasks at worst
 * @param earlyShare without progress, the share of tasks expected to end before the first poll is worth making
 * @param lateShare  without progress, the share of tasks expected to end after the polls start to thin out
 * @param burst      polls allowed on progress beyond the sustained rate
 * @param sustained  the shortest average gap between polls on progress over a task's life, once the burst is spent
 * @param startSlack how much later than our send the provider's clock for the task may start
 * @param expected   how long a task of this provider and model is expected to take
 */
public record AdaptivePollSchedule(
        Duration step,
        Duration sharp,
        Duration ceiling,
        Duration endingGap,
        double earlyShare,
        double lateShare,
        int burst,
        Duration sustained,
        Duration startSlack,
        ExpectedDuration expected)
        implements PollSchedule {

    /**
     * Tuned on the simulator: linear progress for tasks of 2, 10 and 60 s, and tasks without progress whose durations
     * are log-normal with a median of 6 s and a 95th percentile of 20 s (BENCHMARKS.md). Starts from
     * {@link ExpectedDuration#PRIOR} until the engine gives it the durations of the provider at hand.
     */
    public static final AdaptivePollSchedule DEFAULT = new AdaptivePollSchedule(
            Duration.ofMillis(150),
            Duration.ofMillis(50),
            Duration.ofSeconds(10),
            Duration.ofMillis(220),
            0.015,
            0.005,
            5,
            Duration.ofSeconds(1),
            Duration.ofMillis(250),
            ExpectedDuration.PRIOR);

    /** Share of the way to the window's opening waited before reading the progress again. */
    private static final double APPROACH = 0.9;
    /** From this percent on, a second reading would narrow the window little. */
    private static final int LATE_PERCENT = 80;
    /** Added to a poll aimed at the window's end: the provider's own timer and our sleep are a little late. */
    private static final long AIM_PAST_END_MILLIS = 10;
    /** Past the expected range, each gap grows by this share of the time spent past it. */
    private static final double TAIL_GROWTH = 0.5;

    public AdaptivePollSchedule {
        for (Duration d : new Duration[] {step, sharp, ceiling, endingGap, sustained, startSlack}) {
            if (d == null || d.isNegative()) {
                throw new IllegalArgumentException("every wait must be zero or more");
            }
        }
        if (step.isZero() || endingGap.isZero() || ceiling.compareTo(step) < 0 || ceiling.compareTo(endingGap) < 0) {
            throw new IllegalArgumentException("need 0 < step, endingGap <= ceiling");
        }
        if (!(earlyShare > 0 && earlyShare < 0.5 && lateShare > 0 && lateShare < 0.5)) {
            throw new IllegalArgumentException("the early and late shares lie between 0 and 0.5");
        }
        if (burst < 1) {
            throw new IllegalArgumentException("burst must be at least 1, not " + burst);
        }
        if (expected == null) {
            throw new IllegalArgumentException("an expected duration is needed");
        }
    }

    /** The same schedule for a provider and model whose tasks take {@code durations}. */
    @Override
    public AdaptivePollSchedule expecting(ExpectedDuration durations) {
        return new AdaptivePollSchedule(
                step, sharp, ceiling, endingGap, earlyShare, lateShare, burst, sustained, startSlack, durations);
    }

    @Override
    public Duration nextDelay(int pollsSoFar, Duration sinceSubmit, Integer percent) {
        long elapsed = Math.max(0, sinceSubmit.toMillis());
        if (percent == null || percent <= 0) {
            return Duration.ofMillis(withoutProgress(elapsed));
        }
        long wait = byProgress(Math.max(1, elapsed), percent);
        // The budget: the (pollsSoFar+1)-th poll not before (pollsSoFar + 1 - burst) sustained gaps have passed.
        long budgetAllows = (pollsSoFar + 1L - burst) * sustained.toMillis() - elapsed;
        return Duration.ofMillis(Math.max(wait, budgetAllows));
    }

    /** The time from the submit when polls start, in ms: one gap past the early quantile. */
    long pollsStartAt() {
        return Math.round(expected.quantileMillis(earlyShare)) + endingGap.toMillis();
    }

    /** The time from the submit when polls start to thin out, in ms. */
    long pollsThinAt() {
        return Math.round(expected.quantileMillis(1 - lateShare));
    }

    private long withoutProgress(long elapsed) {
        long start = pollsStartAt();
        if (elapsed < start) {
            return clamp(start - elapsed);
        }
        long thin = pollsThinAt();
        long gap = endingGap.toMillis();
        if (elapsed < thin) {
            return gap;
        }
        return clamp(gap + Math.round((elapsed - thin) * TAIL_GROWTH));
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

    private long clamp(long millis) {
        return Math.max(1, Math.min(millis, ceiling.toMillis()));
    }
}
