package io.jenkins.plugins.fluxkontext.core.engine;

import io.jenkins.plugins.fluxkontext.core.proxy.ProxyRoutes;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/**
 * The HTTP clients of one engine, one per kind of call, and why each is set as it is: status, result, upload and
 * cancel calls carry the key; the submit may bill; downloads go to hosts the provider names. They share one
 * dispatcher, one connection pool (but the submit's) and one proxy decision.
 */
final class EngineClients {

    private final OkHttpClient api;
    private final OkHttpClient submit;
    private final OkHttpClient download;
    private final ProxyRoutes proxyRoutes;

    /**
     * @param start        a client whose settings (proxy, TLS, DNS) to start from; {@code null} for OkHttp's defaults
     * @param proxyRoutes  where every call goes: the proxy, with the hosts it bypasses, or direct
     * @param connect      how long opening a connection may take
     * @param readAndWrite how long a read or write on an open connection may stall
     */
    EngineClients(OkHttpClient start, ProxyRoutes proxyRoutes, Duration connect, Duration readAndWrite) {
        this.proxyRoutes = proxyRoutes;
        Dispatcher dispatcher = new Dispatcher();
        // OkHttp's default of 5 per host would queue the sixth of six parallel tasks behind the others.
        dispatcher.setMaxRequests(256);
        dispatcher.setMaxRequestsPerHost(128);
        OkHttpClient.Builder common = start == null ? new OkHttpClient.Builder() : start.newBuilder();
        // Interceptors could log headers (the key) or retry behind our back; the engine runs with none.
        common.interceptors().clear();
        common.networkInterceptors().clear();
        // One place decides the proxy of every call: provider calls, uploads, cancels and image downloads alike.
        proxyRoutes.applyTo(common);
        OkHttpClient base = common.dispatcher(dispatcher)
                .connectTimeout(connect)
                .readTimeout(readAndWrite)
                .writeTimeout(readAndWrite)
                .eventListenerFactory(call -> InFlightCalls.SEND_TRACKER)
                // Our retry policy is the only one: OkHttp's silent retries would re-send a paid submit.
                .retryOnConnectionFailure(false)
                .build();
        // Calls that carry the key never follow redirects: OkHttp strips only Authorization on a cross-host
        // redirect, not x-key.
        this.api = base.newBuilder().followRedirects(false).build();
        // Each submit on a fresh connection: a pooled connection the server has quietly closed would turn a harmless
        // failure into an ambiguous, maybe-billed one.
        this.submit = api.newBuilder()
                .connectionPool(new ConnectionPool(0, 1, TimeUnit.SECONDS))
                .build();
        // Downloads carry no credential, but their URLs come from the provider's answer: redirects are followed by
        // the job (ImageDownloads.fetchImage), which holds every hop to the same rule as the first URL.
        this.download = base.newBuilder()
                .followRedirects(false)
                .followSslRedirects(false)
                .build();
    }

    /** For calls that carry the key and bill nothing: status, result, upload, cancel. */
    OkHttpClient api() {
        return api;
    }

    /**
     * For the paid submit. For a provider that holds its answer on purpose for up to {@code hold} (Replicate's
     * {@code Prefer: wait}), it waits that much longer for the answer, so that a held answer is not mistaken for a
     * stalled, ambiguous submit.
     */
    OkHttpClient submit(Duration hold) {
        if (hold == null || hold.isZero() || hold.isNegative()) {
            return submit;
        }
        return submit.newBuilder()
                .readTimeout(Duration.ofMillis(submit.readTimeoutMillis()).plus(hold))
                .build();
    }

    /** For image downloads: no key, no redirects followed by the client. */
    OkHttpClient download() {
        return download;
    }

    ProxyRoutes proxyRoutes() {
        return proxyRoutes;
    }

    void close() {
        api.dispatcher().executorService().shutdown();
        api.connectionPool().evictAll();
        submit.connectionPool().evictAll();
    }
}
