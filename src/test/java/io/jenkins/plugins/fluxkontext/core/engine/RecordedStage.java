package io.jenkins.plugins.fluxkontext.core.engine;

import io.jenkins.plugins.fluxkontext.core.harness.LoopbackStage;
import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback stage that records what a user sees of a run: the progress events, the outcomes, the result and any
 * exception's text. The BFL and the gateway stories check this record after each story.
 */
abstract class RecordedStage extends LoopbackStage {

    final List<ProgressEvent> events = new CopyOnWriteArrayList<>();
    /** Texts the story saw besides events and outcomes: exception messages, results. */
    final List<String> seen = new CopyOnWriteArrayList<>();

    /** A run or a resume of the engine. */
    @FunctionalInterface
    interface EngineCall {
        GenerationResult call() throws InterruptedException;
    }

    /** Makes {@code call} and records what the user sees of it. */
    GenerationResult recorded(EngineCall call) throws InterruptedException {
        try {
            GenerationResult result = call.call();
            seen.add(result.toString());
            result.outcomes().forEach(o -> seen.add(o.message()));
            return result;
        } catch (RuntimeException e) {
            seen.add(String.valueOf(e.getMessage()));
            seen.add(e.toString());
            throw e;
        }
    }

    /** Everything a user could see: the texts seen, every event, every outcome's message and every file written. */
    List<String> visibleToTheUser() throws IOException {
        List<String> captured = new ArrayList<>(seen);
        events.forEach(e -> captured.add(e.toString()));
        events.stream()
                .filter(e -> e instanceof ProgressEvent.Finished)
                .map(e -> ((ProgressEvent.Finished) e).outcome())
                .forEach(o -> captured.add(o.message()));
        captured.addAll(writtenFiles());
        return captured;
    }

    GenerationRequest.Builder prompt() {
        return GenerationRequest.builder().prompt("A red fox reading a newspaper, watercolour");
    }

    <T extends ProgressEvent> List<T> events(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
