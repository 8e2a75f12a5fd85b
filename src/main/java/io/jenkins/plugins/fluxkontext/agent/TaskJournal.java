package io.jenkins.plugins.fluxkontext.agent;

/**
 * What the agent tells the controller while a step's job runs there: each task the provider accepted, as soon as
 * it is accepted, and what an abort left behind. The controller exports its journal ({@code StepJournal}) over the
 * agent channel ({@code VirtualChannel.export}) and hands the proxy to {@link GenerateImagesCallable}; the agent calls
 * it, and each call runs on the controller and returns when done.
 *
 * <p>This is the only way the agent reaches the controller, and it is deliberately narrow: an exported object, not an
 * agent-to-controller {@code Callable} (reliability S-12). The agent can only offer plain values about the one step
 * that exported it; the controller checks each against that step (provider, task index, sizes) and refuses the rest.
 */
public interface TaskJournal {

    /**
     * The provider accepted a task. Returns once the task is saved with the build: the engine calls this before the
     * task's first status request, so a task that is polled at all can be found again after a restart.
     *
     * @throws IllegalArgumentException when the task cannot be one of this step's tasks
     * @throws IllegalStateException    when the step has ended
     */
    void accepted(SavedTask task);

    /** A task ended, however it ended (for the step's status, and to know when no submit can still be on its way). */
    void ended(int index);

    /**
     * The job was aborted on the agent. {@code report} says what became of each task (cancelled at the provider,
     * abandoned where the provider has no cancel call, finished); {@code summary} is the engine's sentence naming the
     * tasks that may still run and be billed.
     */
    void aborted(GenerationReport report, String summary);
}
