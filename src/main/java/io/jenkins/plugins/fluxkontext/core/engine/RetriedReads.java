package io.jenkins.plugins.fluxkontext.core.engine;

import io.jenkins.plugins.fluxkontext.core.engine.InFlightCalls.DeadlinePassed;
import io.jenkins.plugins.fluxkontext.core.engine.InFlightCalls.Flight;
import io.jenkins.plugins.fluxkontext.core.engine.InFlightCalls.TransportFailure;
import io.jenkins.plugins.fluxkontext.core.output.ImageRejectedException;
import io.jenkins.plugins.fluxkontext.core.provider.MalformedReplyException;
import java.io.IOException;
import java.time.Duration;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The reads of one run, status requests and downloads alike: idempotent GETs, so a failed one is simply asked again,
 * with capped, jittered backoff, within the retry policy's attempts and the run's deadline. The paid submit is never
 * sent through here (see {@link PaidSubmit}).
 */
final class RetriedReads {

    @FunctionalInterface
    interface ReplyReader<T> {
        /** Reads a response that is not 408, 429 or 5xx. An IOException is worth another try unless it says not. */
        T read(Response response) throws IOException;
    }

    @FunctionalInterface
    interface RequestMaker {
        Request make();
    }

    /**
     * An answer the {@link ReplyReader} takes as final though it is no success: asking the same URL again will not
     * help, so the read ends at once.
     */
    abstract static class FinalAnswer extends IOException {
        private static final long serialVersionUID = 1L;

        FinalAnswer(String message) {
            super(message);
        }
    }

    /** The read failed as often as the policy allows. */
    static final class ReadsExhausted extends Exception {
        private static final long serialVersionUID = 1L;
        final int attempts;
        final String lastFailure;

        ReadsExhausted(int attempts, String lastFailure) {
            super(null, null, false, false);
            this.attempts = attempts;
            this.lastFailure = lastFailure;
        }
    }

    private final RunContext run;

    RetriedReads(RunContext run) {
        this.run = run;
    }

    /**
     * Sends an idempotent GET until {@code reader} accepts an answer: connection failures, 408, 429, 5xx, unreadable
     * answers and broken bodies are tried again with capped, jittered backoff ({@code Retry-After} wins) within the
     * policy's attempts and the deadline. {@link ImageRejectedException} and {@link FinalAnswer} end it at once.
     */
    <T> T read(int index, String what, OkHttpClient client, RequestMaker request, ReplyReader<T> reader)
            throws ReadsExhausted, DeadlinePassed, InterruptedException, IOException {
        GenerationEngine engine = run.engine();
        Scrubber scrubber = run.scrubber();
        RetryPolicy policy = engine.retryPolicy();
        for (int attempt = 1; ; attempt++) {
            String failure;
            Duration retryAfter = null;
            try (Flight flight = run.calls().send(client, request.make(), run.deadline())) {
                Response response = flight.response();
                int code = response.code();
                if (code == 408 || code == 429 || code >= 500) {
                    failure = "HTTP " + code;
                    retryAfter = RetryAfter.parse(response.header("Retry-After"), engine.clock());
                } else {
                    return reader.read(response);
                }
            } catch (TransportFailure e) {
                failure = scrubber.failure(e.failure());
            } catch (ImageRejectedException | FinalAnswer e) {
                throw e;
            } catch (MalformedReplyException e) {
                failure = "unreadable answer: " + scrubber.text(e.getMessage());
            } catch (IOException e) {
                failure = scrubber.failure(e);
            }
            if (run.calls().aborted() || Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("aborted");
            }
            if (attempt >= policy.readAttempts()) {
                throw new ReadsExhausted(attempt, failure);
            }
            Duration wait = retryAfter != null ? retryAfter : policy.backoff(attempt, engine.random());
            if (wait.compareTo(run.deadline().remaining()) >= 0) {
                throw new DeadlinePassed(false);
            }
            run.emit(new ProgressEvent.Retrying(index, what, failure, wait));
            engine.sleeper().sleep(wait);
        }
    }
}
