package io.jenkins.plugins.fluxkontext.bench.soak;

import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;
import io.jenkins.plugins.fluxkontext.simulator.Fault;
import io.jenkins.plugins.fluxkontext.simulator.LedgerEntry;
import io.jenkins.plugins.fluxkontext.simulator.LedgerSnapshot;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What a soak run produced, measured from the outside: the simulator's ledger, the files on disk, the captured log,
 * and the outcomes. Printed as {@code name=value} lines; the {@code must.*} lines are the figures that must hold.
 */
final class SoakFigures {

    private static final int UUID_LENGTH = 36;

    private final Map<String, Object> figures = new LinkedHashMap<>();
    private final Map<String, Boolean> musts = new LinkedHashMap<>();
    private final List<String> unexpected;

    private SoakFigures(List<String> unexpected) {
        this.unexpected = unexpected;
    }

    static SoakFigures collect(SoakRun run, LedgerSnapshot ledger, Duration elapsed) throws IOException {
        SoakFigures f = new SoakFigures(run.unexpected());
        List<TaskOutcome> outcomes = run.outcomes();
        String key = run.key();
        String headerForm = "x-key: " + key;

        f.put("soak.tasks.requested", run.tasks());
        f.put("soak.fault.rate", run.faultRate());
        f.put("soak.seed", run.seed());
        f.put("soak.parallel.jobs", run.parallelJobs());
        f.put("soak.images.per.job", run.imagesPerJob());
        f.put("soak.elapsed.seconds", String.format(Locale.ROOT, "%.1f", elapsed.toMillis() / 1000.0));
        f.put("soak.output.folder", run.out());

        // ---- the provider's side: what reached it and what it charged
        Map<String, Long> billedPerTask =
                ledger.billed().stream().collect(Collectors.groupingBy(LedgerEntry::taskId, Collectors.counting()));
        long mostBilled =
                billedPerTask.values().stream().mapToLong(Long::longValue).max().orElse(0);
        f.put("simulator.submits.received", ledger.submitsReceived());
        f.put("simulator.rate.limited.answers", ledger.rateLimitedAnswers());
        f.put("simulator.tasks.created", ledger.tasks().size());
        f.put("simulator.tasks.billed", ledger.billedCount());
        f.put("simulator.billed.usd", ledger.totalUsd().toPlainString());
        f.put("simulator.billed.most.times.one.task", mostBilled);
        long injected = 0;
        for (Fault fault : Fault.values()) {
            long n = ledger.faultsApplied().getOrDefault(fault, 0L);
            injected += n;
            f.put("simulator.faults.applied." + fault.word(), n);
        }
        f.put("simulator.faults.applied.total", injected);
        f.put("soak.submits.given.a.fault", run.faultsPlanned());

        // ---- the user's side: outcomes, images, files
        f.put("outcomes.total", outcomes.size());
        Map<String, Long> byKind = outcomes.stream()
                .collect(Collectors.groupingBy(o -> o.getClass().getSimpleName(), Collectors.counting()));
        for (Class<?> kind : TaskOutcome.class.getPermittedSubclasses()) {
            f.put("outcomes." + kind.getSimpleName(), byKind.getOrDefault(kind.getSimpleName(), 0L));
        }
        long internal = outcomes.stream()
                .filter(o -> o instanceof TaskOutcome.Failed failed && "internal".equals(failed.code()))
                .count();
        f.put("failures.unclassified", internal + run.unexpected().size());
        long imagesWritten = outcomes.stream()
                .filter(TaskOutcome.Succeeded.class::isInstance)
                .mapToLong(o -> ((TaskOutcome.Succeeded) o).images().size())
                .sum();
        f.put("images.written", imagesWritten);

        List<Path> files;
        try (Stream<Path> walk = Files.walk(run.out())) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        List<Path> images = files.stream().filter(SoakFigures::isImage).toList();
        long partial = files.stream()
                .filter(p -> p.getFileName().toString().endsWith(".part"))
                .count();
        long withoutSidecar = images.stream()
                .filter(p -> !Files.isRegularFile(p.resolveSibling(p.getFileName() + ".json")))
                .count();
        f.put("files.written", files.size());
        f.put("images.on.disk", images.size());
        f.put("partial.files", partial);
        f.put("images.without.sidecar", withoutSidecar);

        // ---- secrets: every log line and outcome message, every byte of every file
        List<String> texts = new ArrayList<>(run.logLines());
        outcomes.forEach(o -> texts.add(o.message()));
        texts.addAll(run.unexpected());
        long keyInLogs = texts.stream().filter(t -> t.contains(key)).count();
        long headerInLogs = texts.stream().filter(t -> t.contains(headerForm)).count();
        long signedInLogs = texts.stream()
                .filter(t -> t.contains("sig=") || t.contains("?se=") || t.contains("&se="))
                .count();
        // A provider's line break or escape code in a log line would forge a line or drive the terminal.
        long controlInLogs = run.logLines().stream()
                .filter(t -> t.chars().anyMatch(Character::isISOControl))
                .count();
        long keyInFiles = 0;
        long headerInFiles = 0;
        for (Path file : files) {
            String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            keyInFiles += content.contains(key) ? 1 : 0;
            headerInFiles += content.contains(headerForm) ? 1 : 0;
        }
        f.put("log.lines", run.logLines().size());
        f.put("key.occurrences.logs", keyInLogs);
        f.put("key.occurrences.files", keyInFiles);
        f.put("key.header.occurrences.logs", headerInLogs);
        f.put("key.header.occurrences.files", headerInFiles);
        f.put("signed.query.occurrences.logs", signedInLogs);
        f.put("log.lines.with.control.characters", controlInLogs);

        // ---- accounting: every charge belongs to an outcome the user was told about
        Set<String> toldIds = outcomes.stream()
                .map(TaskOutcome::taskId)
                .map(SoakFigures::simulatorId)
                .filter(Objects::nonNull)
                .collect(Collectors.toSet());
        long billedWithoutId = billedPerTask.keySet().stream()
                .filter(id -> !toldIds.contains(id))
                .count();
        long ambiguous = byKind.getOrDefault(TaskOutcome.SubmitAmbiguous.class.getSimpleName(), 0L);
        long succeededNotBilledOnce = outcomes.stream()
                .filter(TaskOutcome.Succeeded.class::isInstance)
                .filter(o -> billedPerTask.getOrDefault(simulatorId(o.taskId()), 0L) != 1)
                .count();
        // A provider's cost below zero, too large for a number, or absurd is never believed (the price table counts).
        long unbelievableCosts = outcomes.stream()
                .filter(TaskOutcome.Succeeded.class::isInstance)
                .map(o -> ((TaskOutcome.Succeeded) o).cost())
                .filter(c -> c != null && !c.isBelievableFor(1))
                .count();
        f.put("billed.tasks.known.only.as.ambiguous.submits", billedWithoutId);
        f.put("succeeded.tasks.not.billed.exactly.once", succeededNotBilledOnce);
        f.put("reported.costs.not.believable", unbelievableCosts);

        f.must(
                "billed.at.most.once.per.requested.image",
                mostBilled <= 1
                        && ledger.billedCount() <= run.tasks()
                        && ledger.tasks().size() <= run.tasks());
        f.must("zero.partial.files", partial == 0 && withoutSidecar == 0 && images.size() == imagesWritten);
        f.must("zero.key.occurrences", keyInLogs + keyInFiles + headerInLogs + headerInFiles == 0);
        f.must(
                "every.failure.classified",
                internal == 0 && run.unexpected().isEmpty() && outcomes.size() == run.tasks());
        f.must("every.charge.accounted.for", billedWithoutId <= ambiguous && succeededNotBilledOnce == 0);
        f.must("no.signed.query.in.logs", signedInLogs == 0);
        f.must("no.control.characters.in.logs", controlInLogs == 0);
        f.must("no.unbelievable.cost.reported", unbelievableCosts == 0);
        return f;
    }

    /**
     * The simulator's id of a task, from the id the user was told. The simulator names tasks by UUID; the forged-id
     * fault appends a line break and terminal codes to it in the submit answer, which the engine shows made printable
     * (a space, then the rest): the UUID is what comes before.
     */
    private static String simulatorId(String told) {
        return told != null && told.length() > UUID_LENGTH && told.charAt(UUID_LENGTH) == ' '
                ? told.substring(0, UUID_LENGTH)
                : told;
    }

    private static boolean isImage(Path p) {
        String name = p.getFileName().toString();
        return !name.startsWith(".") && (name.endsWith(".png") || name.endsWith(".jpg"));
    }

    private void put(String name, Object value) {
        figures.put(name, value);
    }

    private void must(String name, boolean holds) {
        musts.put(name, holds);
    }

    boolean allHold() {
        return musts.values().stream().allMatch(Boolean::booleanValue);
    }

    void print(PrintStream out) {
        figures.forEach((name, value) -> out.println(name + "=" + value));
        musts.forEach((name, holds) -> out.println("must." + name + "=" + (holds ? "holds" : "FAILS")));
        out.println("must.all=" + (allHold() ? "hold" : "FAIL"));
        unexpected.stream().limit(5).map(Function.identity()).forEach(u -> out.println("# unexpected: " + u));
        out.flush();
    }
}
