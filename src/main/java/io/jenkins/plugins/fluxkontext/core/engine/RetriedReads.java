package io.jenkins.plugins.fluxkontext.core.engine;

import io.jenkins.plugins.fluxkontext.core.engine.InFlightCalls.DeadlinePassed;
import io.jenkins.plugins.fluxkontext.core.engine.InFlightCalls.Flight;
import io.jenkins.plugins.fluxkontext.core.engine.InFlightCalls.TransportFailure;
import io.jenkins.plugins.fluxkontext.core.output.ImageRejectedException;
import io.jenkins.plugins.fluxkontext.core.output.LocalWriteException;
import io.jenkins.plugins.fluxkontext.core.provider.MalformedReplyException;
import java.io.IOException;
import java.time.Duration;
import java.util.function.Predicate;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The reads of one run, status requests and downloads alike: idempotent GETs, so a failed one is simply asked again,
 * with capped, jittered backoff, until the run's deadline: the task they read is paid for. The paid submit is never
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

    /** The answers could not be read as often as the policy allows. */
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
     * Sends an idempotent GET until {@code reader} accepts an answer. A paid task is not given up while its deadline
     * lasts: connection failures, 408, 429, 5xx and broken bodies are tried again with capped, jittered backoff
     * ({@code Retry-After} wins) until the deadline. A request that failed on a pooled connection the server had
     * closed is sent again at once on a new one. Answers that cannot be read are tried the policy's
     * {@link RetryPolicy#readAttempts} times: a provider that keeps answering what we cannot understand will not start
     * making sense. {@link ImageRejectedException}, {@link LocalWriteException} and {@link FinalAnswer} end it at once.
     */
    <T> T read(int index, String what, OkHttpClient client, RequestMaker request, ReplyReader<T> reader)
            throws ReadsExhausted, DeadlinePassed, InterruptedException, IOException {
        return read(index, what, client, request, reader, answer -> false, Duration.ZERO);
    }

    /**
     * As {@link #read(int, String, OkHttpClient, RequestMaker, ReplyReader)}, but a 5xx that {@code lastWord} accepts
     * goes to {@code reader} (the provider's own error for the task, not a failed request), and a retry never asks
     * again sooner than {@code atLeast} (a provider's documented status pacing).
     */
    <T> T read(
            int index,
            String what,
            OkHttpClient client,
            RequestMaker request,
            ReplyReader<T> reader,
            Predicate<Response> lastWord,
            Duration atLeast)
            throws ReadsExhausted, DeadlinePassed, InterruptedException, IOException {
        GenerationEngine engine = run.engine();
        Scrubber scrubber = run.scrubber();
        RetryPolicy policy = engine.retryPolicy();
        int unreadable = 0;
        boolean freshConnection = false;
        for (int retry = 1; ; retry++) {
            String failure;
            Duration retryAfter = null;
            boolean stale = false;
            try (Flight flight = run.calls().send(client, request.make(), run.deadline())) {
                Response response = flight.response();
                int code = response.code();
                if ((code == 408 || code == 429 || code >= 500) && !(code >= 500 && lastWord.test(response))) {
                    failure = "HTTP " + code;
                    retryAfter = RetryAfter.parse(response.header("Retry-After"), engine.clock());
                } else {
                    return reader.read(response);
                }
            } catch (TransportFailure e) {
                failure = scrubber.failure(e.failure());
                stale = e.onPooledConnection() && !freshConnection;
            } catch (ImageRejectedException | LocalWriteException | FinalAnswer e) {
                throw e;
            } catch (MalformedReplyException e) {
                failure = "unreadable answer: " + scrubber.text(e.getMessage());
                unreadable++;
                if (unreadable >= policy.readAttempts()) {
                    throw new ReadsExhausted(unreadable, failure);
                }
            } catch (IOException e) {
                failure = scrubber.failure(e);
            }
            if (run.calls().aborted() || Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("aborted");
            }
            freshConnection = stale;
            if (stale) {
                // Idle connections are the ones a server closes; the next request opens its own. Reads only: the
                // submit never takes a pooled connection (EngineClients).
                client.connectionPool().evictAll();
                retry--;
                continue;
            }
            Duration wait = retryAfter != null ? retryAfter : policy.backoff(retry, engine.random());
            if (wait.compareTo(atLeast) < 0) {
                wait = atLeast;
            }
            if (wait.compareTo(run.deadline().remaining()) >= 0) {
                throw new DeadlinePassed(false, failure);
            }
            run.emit(new ProgressEvent.Retrying(index, what, failure, wait));
            engine.sleeper().sleep(wait);
        }
    }
}
