package io.jenkins.plugins.fluxkontext.simulator;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One charge a real provider would have made.
 *
 * @param taskId        the task billed
 * @param dialect       which dialect it was submitted through, e.g. {@code bfl}
 * @param model         e.g. {@code flux-kontext-max}
 * @param promptExcerpt the first characters of the prompt, on one line
 * @param usd           the price charged
 * @param ending        how the task ended ({@link TaskState#READY} or {@link TaskState#FAILED})
 * @param billedAt      when the charge was made: the moment the task ended
 */
public record LedgerEntry(
        String taskId,
        String dialect,
        String model,
        String promptExcerpt,
        BigDecimal usd,
        TaskState ending,
        Instant billedAt) {}
