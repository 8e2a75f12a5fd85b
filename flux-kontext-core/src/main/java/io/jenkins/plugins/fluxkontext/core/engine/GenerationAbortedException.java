package io.jenkins.plugins.fluxkontext.core.engine;

/**
 * Thrown by {@link GenerationEngine#run} when the calling thread is interrupted (a build abort). It is an
 * {@link InterruptedException}, so an abort stays an abort for callers that only know that; callers that must report
 * what may still be billed read {@link #result()}: tasks that finished keep their outcome, submitted ones are
 * {@link TaskOutcome.Cancelled} with their task id, a submit on its way is {@link TaskOutcome.SubmitAmbiguous}, the
 * rest {@link TaskOutcome.NotSubmitted}.
 */
public class GenerationAbortedException extends InterruptedException {

    private static final long serialVersionUID = 1L;

    private final transient GenerationResult result;

    public GenerationAbortedException(GenerationResult result) {
        super("Aborted; " + result.outcomes().stream().filter(o -> o instanceof TaskOutcome.Cancelled).count()
                + " submitted task(s) may still run and be billed");
        this.result = result;
    }

    public GenerationResult result() {
        return result;
    }
}
