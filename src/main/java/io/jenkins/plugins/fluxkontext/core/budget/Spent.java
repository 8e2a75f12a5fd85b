package io.jenkins.plugins.fluxkontext.core.budget;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * What has been spent so far, in US dollars: by the build the request belongs to, and by its job.
 *
 * @param build spent by this build (includes requests still running, at their estimate)
 * @param job   spent by the job, over whatever period the plugin keeps (see {@link SpentAmounts})
 */
public record Spent(BigDecimal build, BigDecimal job) {

    public static final Spent NOTHING = new Spent(BigDecimal.ZERO, BigDecimal.ZERO);

    public Spent {
        Objects.requireNonNull(build, "build");
        Objects.requireNonNull(job, "job");
    }
}
