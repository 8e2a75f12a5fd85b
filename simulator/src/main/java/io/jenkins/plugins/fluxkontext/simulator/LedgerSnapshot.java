package io.jenkins.plugins.fluxkontext.simulator;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The ledger at one moment: every charge, every task, and the counters of what the server saw. Immutable.
 *
 * @param billed               the charges, in the order they were made
 * @param tasks                every task created, in submit order
 * @param submitsReceived      submit requests that reached a submit path, including refused and reset ones
 * @param maxConcurrentlyActive the most tasks that were active (submitted, not ended) at once
 * @param rateLimitedAnswers   429 answers sent to submits
 * @param faultsApplied        how often each fault took effect
 * @param creditsLeft          the account balance in credits
 */
public record LedgerSnapshot(
        List<LedgerEntry> billed,
        List<TaskReport> tasks,
        long submitsReceived,
        int maxConcurrentlyActive,
        long rateLimitedAnswers,
        Map<Fault, Long> faultsApplied,
        BigDecimal creditsLeft) {

    public LedgerSnapshot {
        billed = List.copyOf(billed);
        tasks = List.copyOf(tasks);
        faultsApplied = Map.copyOf(faultsApplied);
    }

    public int billedCount() {
        return billed.size();
    }

    public BigDecimal totalUsd() {
        return billed.stream().map(LedgerEntry::usd).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** How many times {@code taskId} was charged: 0 or 1 unless something is badly wrong. */
    public long timesBilled(String taskId) {
        return billed.stream().filter(e -> e.taskId().equals(taskId)).count();
    }

    public TaskReport task(String taskId) {
        return tasks.stream().filter(t -> t.taskId().equals(taskId)).findFirst().orElse(null);
    }

    public long tasksEndedIn(TaskState state) {
        return tasks.stream().filter(t -> t.state() == state).count();
    }

    /** The summary a person reads when the standalone simulator stops. */
    public String table() {
        StringBuilder out = new StringBuilder();
        out.append("Simulator ledger: what a real provider would have billed\n");
        String row = "%-38s %-17s %-8s %8s  %s%n";
        out.append(String.format(Locale.ROOT, row, "TASK", "MODEL", "ENDING", "USD", "PROMPT"));
        for (LedgerEntry e : billed) {
            out.append(String.format(
                    Locale.ROOT,
                    row,
                    e.taskId(),
                    e.model(),
                    e.ending().name(),
                    e.usd().toPlainString(),
                    e.promptExcerpt()));
        }
        if (billed.isEmpty()) {
            out.append("(no billed tasks)\n");
        }
        // Unbilled by each provider's rule: BFL does not bill moderation; a gateway may not bill failures or cancels.
        long moderatedFree = tasks.stream()
                .filter(t -> (t.state() == TaskState.REQUEST_MODERATED || t.state() == TaskState.CONTENT_MODERATED)
                        && timesBilled(t.taskId()) == 0)
                .count();
        long otherFree = tasks.stream()
                .filter(t -> t.state().ended()
                        && t.state() != TaskState.REQUEST_MODERATED
                        && t.state() != TaskState.CONTENT_MODERATED
                        && timesBilled(t.taskId()) == 0)
                .count();
        out.append(String.format(
                Locale.ROOT,
                "Would have billed: %d task(s), $%s. Submits received: %d; tasks created: %d "
                        + "(not billed: %d moderated, %d failed or cancelled); 429 answers: %d; most active at once: %d; "
                        + "credits left: %s.%n",
                billed.size(),
                totalUsd().toPlainString(),
                submitsReceived,
                tasks.size(),
                moderatedFree,
                otherFree,
                rateLimitedAnswers,
                maxConcurrentlyActive,
                creditsLeft.toPlainString()));
        if (!faultsApplied.isEmpty()) {
            out.append("Faults applied:");
            faultsApplied.entrySet().stream()
                    .sorted(Map.Entry.comparingByKey())
                    .forEach(f -> out.append(' ')
                            .append(f.getKey().word())
                            .append('=')
                            .append(f.getValue()));
            out.append('\n');
        }
        return out.toString();
    }
}
