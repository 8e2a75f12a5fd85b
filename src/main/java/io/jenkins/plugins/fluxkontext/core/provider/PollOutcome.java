package io.jenkins.plugins.fluxkontext.core.provider;

import io.jenkins.plugins.fluxkontext.core.task.Billing;
import io.jenkins.plugins.fluxkontext.core.task.Cost;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome.ModerationSide;
import java.util.List;

/**
 * What one status answer says about a task, in provider-neutral terms. Every variant except {@link Running} and
 * {@link ResultAvailable} ends polling. Texts come from the server and are scrubbed by the engine before anyone sees
 * them.
 */
public sealed interface PollOutcome {

    /** The provider's status string as sent, e.g. {@code Pending}; shown in progress events. */
    String status();

    /** Still working. {@code percent} is 0 to 100 when the provider reports progress, else {@code null}. */
    record Running(String status, Integer percent) implements PollOutcome {}

    /**
     * Finished, but the result lives in a separate document (fal's {@code response_url}): the engine fetches
     * {@link ProviderDialect#resultRequest} and reads it with {@link ProviderDialect#readResult}.
     */
    record ResultAvailable(String status) implements PollOutcome {}

    /**
     * Done: the signed URLs of the images, in order, the seed the provider used when it says, and the task's cost when
     * the finished task reports it (Vtrix's {@code usage.cost}; {@code null} otherwise, and the submit's figure holds).
     */
    record Ready(String status, List<String> imageUrls, Long seed, Cost cost) implements PollOutcome {
        public Ready {
            imageUrls = List.copyOf(imageUrls);
        }

        public Ready(String status, List<String> imageUrls, Long seed) {
            this(status, imageUrls, seed, null);
        }
    }

    /** The provider gave up on the task, or said something we do not understand (never read as "keep polling"). */
    record Failed(String status, String code, String reason, Billing billing) implements PollOutcome {}

    record Moderated(String status, ModerationSide side, List<String> reasons, Billing billing) implements PollOutcome {
        public Moderated {
            reasons = List.copyOf(reasons);
        }
    }

    /** The provider does not know the task (any more). */
    record NotFound(String status, String detail) implements PollOutcome {}

    /** Cancelled at the provider. */
    record Cancelled(String status, Billing billing) implements PollOutcome {}
}
