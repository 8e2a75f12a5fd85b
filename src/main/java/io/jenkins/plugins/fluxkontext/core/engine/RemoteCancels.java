package io.jenkins.plugins.fluxkontext.core.engine;

import io.jenkins.plugins.fluxkontext.core.model.Redaction;
import io.jenkins.plugins.fluxkontext.core.provider.ApiKey;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderDialect;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderEndpoint;
import io.jenkins.plugins.fluxkontext.core.task.TaskHandle;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The provider-side cancel of an abort: one request per task still running at the provider, all sent at once after
 * the job's own calls are cancelled, each tried exactly once and the lot bounded by a short timeout. Like a status
 * request, a cancel carries the key, so it only goes where {@link ProviderEndpoint#mayReceiveKey} allows.
 */
final class RemoteCancels {

    /** What became of one task's cancel. {@code attempted} is false when the provider has no cancel call. */
    record Answer(boolean attempted, boolean confirmed, String detail) {}

    private final Map<Integer, CompletableFuture<Answer>> answers = new LinkedHashMap<>();
    private final Map<Integer, Call> calls = new LinkedHashMap<>();
    private final Duration timeout;

    private RemoteCancels(Duration timeout) {
        this.timeout = timeout;
    }

    /** Sends the cancels of {@code running} (task index to handle) and returns at once. */
    static RemoteCancels send(
            Map<Integer, TaskHandle> running,
            OkHttpClient apiClient,
            Duration timeout,
            ProviderEndpoint endpoint,
            ApiKey key,
            Scrubber scrubber) {
        RemoteCancels cancels = new RemoteCancels(timeout);
        ProviderDialect dialect = endpoint.dialect();
        OkHttpClient client = apiClient.newBuilder().callTimeout(timeout).build();
        running.forEach((index, handle) -> {
            CompletableFuture<Answer> answer = new CompletableFuture<>();
            cancels.answers.put(index, answer);
            Request cancel;
            try {
                cancel = dialect.cancelRequest(handle, endpoint, key);
            } catch (RuntimeException e) {
                answer.complete(
                        new Answer(true, false, "its cancel request could not be made (" + scrubber.failure(e) + ")"));
                return;
            }
            if (cancel == null) {
                answer.complete(new Answer(false, false, dialect.displayName() + " has no cancel call"));
                return;
            }
            if (!endpoint.mayReceiveKey(cancel.url())) {
                answer.complete(new Answer(
                        true,
                        false,
                        "its cancel URL " + Redaction.withoutQuery(cancel.url().toString())
                                + " is outside the base URL's domain, so the key was not sent there"));
                return;
            }
            Call call = client.newCall(cancel);
            cancels.calls.put(index, call);
            call.enqueue(new Callback() {
                @Override
                public void onResponse(Call c, Response response) {
                    try (response) {
                        int code = response.code();
                        answer.complete(
                                response.isSuccessful()
                                        ? new Answer(true, true, "HTTP " + code)
                                        : new Answer(
                                                true, false, "the provider answered the cancel with HTTP " + code));
                    }
                }

                @Override
                public void onFailure(Call c, IOException e) {
                    answer.complete(new Answer(true, false, "the cancel request failed: " + scrubber.failure(e)));
                }
            });
        });
        return cancels;
    }

    /**
     * Waits for the answers, at most the timeout in all, and cancels what is still open. Never throws; an interrupt
     * while waiting ends the wait (the flag stays set).
     */
    Map<Integer, Answer> await() {
        long end = System.nanoTime() + timeout.toNanos();
        Map<Integer, Answer> result = new LinkedHashMap<>();
        boolean interrupted = false;
        for (Map.Entry<Integer, CompletableFuture<Answer>> entry : answers.entrySet()) {
            Answer answer;
            try {
                answer = interrupted
                        ? entry.getValue().getNow(null)
                        : entry.getValue().get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
                answer = entry.getValue().getNow(null);
            } catch (TimeoutException | ExecutionException e) {
                answer = null;
            }
            if (answer == null) {
                Call call = calls.get(entry.getKey());
                if (call != null) {
                    call.cancel();
                }
                answer = new Answer(
                        true,
                        false,
                        "the provider did not answer the cancel within " + Math.max(1, timeout.toSeconds()) + " s");
            }
            result.put(entry.getKey(), answer);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return result;
    }
}
