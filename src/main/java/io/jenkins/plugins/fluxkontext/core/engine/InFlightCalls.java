package io.jenkins.plugins.fluxkontext.core.engine;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.EventListener;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The HTTP calls of one job that are under way, so that an abort can cancel all of them. A thread blocked reading a
 * socket does not notice {@link Thread#interrupt()}; a cancelled OkHttp call fails that read at once. Calls run
 * asynchronously and the worker waits on a future, so an interrupted worker stops waiting even before the cancel.
 */
final class InFlightCalls {

    /**
     * Marks, per call, whether any byte of the request went out (the line between "safe to retry" and "ambiguous"),
     * and whether the call opened a connection of its own or took one from the pool (which the server may have closed
     * meanwhile).
     */
    static final EventListener SEND_TRACKER = new EventListener() {
        @Override
        public void connectStart(Call call, InetSocketAddress address, Proxy proxy) {
            RequestSent sent = call.request().tag(RequestSent.class);
            if (sent != null) {
                sent.connected = true;
            }
        }

        @Override
        public void requestHeadersStart(Call call) {
            AtomicBoolean sent = call.request().tag(RequestSent.class);
            if (sent != null) {
                sent.set(true);
            }
        }
    };

    private final Set<Call> calls = ConcurrentHashMap.newKeySet();
    private volatile boolean aborted;

    /**
     * Sends {@code request} and waits for the response headers, at most until the deadline; reading the body must end
     * by the deadline too.
     *
     * @throws TransportFailure     no response; says whether the request had started to go out
     * @throws DeadlinePassed       the deadline came first (the call is cancelled)
     * @throws InterruptedException the job was aborted
     */
    Flight send(OkHttpClient client, Request request, Deadline deadline)
            throws TransportFailure, DeadlinePassed, InterruptedException {
        RequestSent sent = new RequestSent();
        Call call =
                client.newCall(request.newBuilder().tag(RequestSent.class, sent).build());
        // The deadline bounds the body too: a server that drips a byte within every read timeout would otherwise keep a
        // download going long past it (docs/reliability.md, R-11). OkHttp cancels the call when this runs out.
        call.timeout().timeout(Math.max(1, deadline.remaining().toMillis()), TimeUnit.MILLISECONDS);
        calls.add(call);
        if (aborted) {
            forget(call);
            throw new InterruptedException("aborted");
        }
        CompletableFuture<Response> answer = new CompletableFuture<>();
        call.enqueue(new Callback() {
            @Override
            public void onResponse(Call c, Response response) {
                if (!answer.complete(response)) {
                    response.close();
                }
            }

            @Override
            public void onFailure(Call c, IOException e) {
                answer.completeExceptionally(e);
            }
        });
        boolean handedOver = false;
        try {
            long waitMillis = Math.max(1, deadline.remaining().toMillis());
            Flight flight = new Flight(call, answer.get(waitMillis, TimeUnit.MILLISECONDS));
            handedOver = true;
            return flight;
        } catch (InterruptedException e) {
            throw e;
        } catch (TimeoutException e) {
            throw new DeadlinePassed(sent.get());
        } catch (ExecutionException e) {
            if (aborted) {
                throw new InterruptedException("aborted");
            }
            Throwable cause = e.getCause();
            throw new TransportFailure(
                    cause instanceof IOException io ? io : new IOException(cause),
                    sent.get(),
                    sent.get() && !sent.connected);
        } finally {
            if (!handedOver) {
                forget(call);
                answer.thenAccept(Response::close);
            }
        }
    }

    private void forget(Call call) {
        call.cancel();
        calls.remove(call);
    }

    /** Cancels every call under way and refuses new ones. Safe from any thread. */
    void abort() {
        aborted = true;
        calls.forEach(Call::cancel);
    }

    boolean aborted() {
        return aborted;
    }

    /** A response whose body may still be streaming; closing it releases the call. */
    final class Flight implements AutoCloseable {
        private final Call call;
        private final Response response;

        private Flight(Call call, Response response) {
            this.call = call;
            this.response = response;
        }

        Response response() {
            return response;
        }

        @Override
        public void close() {
            response.close();
            calls.remove(call);
        }
    }

    /** Request tag flipped by {@link #SEND_TRACKER}; {@code connected}: the call opened its own connection. */
    static final class RequestSent extends AtomicBoolean {
        private static final long serialVersionUID = 1L;
        volatile boolean connected;
    }

    /** The call failed without a response. */
    static final class TransportFailure extends IOException {
        private static final long serialVersionUID = 1L;
        private final boolean requestSent;
        private final boolean onPooledConnection;

        TransportFailure(IOException cause, boolean requestSent, boolean onPooledConnection) {
            super(cause);
            this.requestSent = requestSent;
            this.onPooledConnection = onPooledConnection;
        }

        /**
         * Whether the request went out on a connection taken from the pool, which the server may have closed while it
         * lay there (a server speaking HTTP/1.0 closes every one): then the request most likely never reached it.
         */
        boolean onPooledConnection() {
            return onPooledConnection;
        }

        /** Whether the request had started to go out, so the server may have acted on it. */
        boolean requestSent() {
            return requestSent;
        }

        IOException failure() {
            return (IOException) getCause();
        }
    }

    /** The job's deadline passed while a call was under way. */
    static final class DeadlinePassed extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean requestSent;
        private final String lastFailure;

        DeadlinePassed(boolean requestSent) {
            this(requestSent, null);
        }

        /** @param lastFailure why the last try of a read failed, when the deadline came while retrying it */
        DeadlinePassed(boolean requestSent, String lastFailure) {
            super(null, null, false, false);
            this.requestSent = requestSent;
            this.lastFailure = lastFailure;
        }

        boolean requestSent() {
            return requestSent;
        }

        /** {@code " (last: HTTP 503)"}, or empty when the deadline did not come while retrying. */
        String lastFailureNote() {
            return lastFailure == null ? "" : " (last: " + lastFailure + ")";
        }
    }
}
