package io.jenkins.plugins.fluxkontext.core.budget;

/**
 * Whose money a request spends: a job and one of its builds.
 *
 * @param job   the job's full name, e.g. {@code marketing/banners}
 * @param build an id of the build unique within the job, e.g. its number
 */
public record SpendingScope(String job, String build) {

    public SpendingScope {
        if (job == null || job.isBlank()) {
            throw new IllegalArgumentException("job: no value is not allowed; give the job's full name");
        }
        if (build == null || build.isBlank()) {
            throw new IllegalArgumentException("build: no value is not allowed; give the build's id");
        }
    }
}
