package io.jenkins.plugins.fluxkontext.core.budget;

/**
 * Whose money a request spends: a job and one of its builds, and who or what started that build. The folders the job
 * is in are part of its full name.
 *
 * @param job       the job's full name, e.g. {@code marketing/banners}
 * @param build     an id of the build unique within the job, e.g. its number
 * @param startedBy the user or cause that started the build, e.g. {@code alice} or {@code Started by timer}; the same
 *                  for every request of a build
 */
public record SpendingScope(String job, String build, String startedBy) {

    /** Who started a build when nobody said. */
    public static final String UNKNOWN_STARTER = "unknown";

    public SpendingScope {
        if (job == null || job.isBlank()) {
            throw new IllegalArgumentException("job: no value is not allowed; give the job's full name");
        }
        if (build == null || build.isBlank()) {
            throw new IllegalArgumentException("build: no value is not allowed; give the build's id");
        }
        if (startedBy == null || startedBy.isBlank()) {
            startedBy = UNKNOWN_STARTER;
        }
    }

    /** A build whose starter is not known (the command line, tests). */
    public SpendingScope(String job, String build) {
        this(job, build, null);
    }
}
