package io.jenkins.plugins.fluxkontext.simulator;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * FLUX.1 Kontext providers on loopback: speaks BFL's API at the root and every gateway's under its own prefix
 * ({@code /toapis}, {@code /vtrix}, {@code /cometapi}, {@code /fal}, {@code /runflow}, {@code /replicate}), paints
 * real images, misbehaves on demand, limits active tasks, and keeps a ledger of what each provider would have billed.
 *
 * <pre>{@code
 * try (FluxKontextSimulator sim = FluxKontextSimulator.start(SimulatorSettings.defaults())) {
 *     URI base = sim.baseUrl();          // http://127.0.0.1:PORT, BFL
 *     URI fal = sim.baseUrl("fal");      // http://127.0.0.1:PORT/fal
 *     ... run the engine against them ...
 *     LedgerSnapshot ledger = sim.ledger();          // every dialect
 *     LedgerSnapshot falOnly = sim.ledger("fal");
 * }
 * }</pre>
 */
public final class FluxKontextSimulator implements AutoCloseable {

    /** Any non-blank key works by default; the demo uses this one. */
    public static final String DEMO_KEY = "simulator-demo-key";

    private final HttpServer server;
    private final ExecutorService workers;
    private final TaskBoard board;
    private final URI baseUrl;
    private final SimulatorSettings settings;
    private final Map<String, URI> dialectBases = new LinkedHashMap<>();

    private FluxKontextSimulator(SimulatorSettings settings) throws IOException {
        this.settings = settings;
        // Loopback only: the simulator accepts any key and must never be reachable from the network.
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), settings.port()), 128);
        baseUrl = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        board = new TaskBoard(settings);
        ImagePainter painter = new ImagePainter();
        ResultDelivery delivery = new ResultDelivery(board, painter, baseUrl);
        ApiKeys keys = new ApiKeys(settings.acceptedKeys());
        dialectBases.put(BflDialect.ID, baseUrl);
        List<SimulatedDialect> dialects = List.of(
                new BflDialect(board, delivery, keys, baseUrl),
                new ToApisDialect(board, delivery, keys, baseUrl),
                new VtrixDialect(board, delivery, keys, baseUrl),
                new CometApiDialect(board, delivery, keys, baseUrl),
                new FalDialect(board, delivery, keys, baseUrl),
                new RunflowDialect(board, delivery, keys, baseUrl),
                new ReplicateDialect(board, delivery, keys, baseUrl));
        for (SimulatedDialect dialect : dialects) {
            if (dialect instanceof GatewayDialect gateway) {
                dialectBases.put(gateway.id(), gateway.base());
            }
            for (String prefix : dialect.pathPrefixes()) {
                server.createContext(prefix, marked(dialect::handle));
            }
        }
        server.createContext(ResultDelivery.PREFIX, marked(delivery::handle));
        server.createContext("/", marked(exchange -> {
            try (exchange) {
                Reply.detail(exchange, 404, "Not Found");
            }
        }));
        // Virtual threads: slow bodies and long-held requests must not starve other clients.
        workers = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(workers);
        server.start();
    }

    /**
     * Every answer says it is simulated ({@link RequestOrigin#MARK_HEADER}): a client records that in what it writes,
     * so simulated images and costs are never taken for billed ones.
     */
    private static HttpHandler marked(HttpHandler handler) {
        return exchange -> {
            exchange.getResponseHeaders().set(RequestOrigin.MARK_HEADER, "true");
            handler.handle(exchange);
        };
    }

    /** Starts a simulator on 127.0.0.1 ({@link SimulatorSettings#port()} 0 picks a free port). */
    public static FluxKontextSimulator start(SimulatorSettings settings) {
        try {
            return new FluxKontextSimulator(settings);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the simulator on 127.0.0.1:" + settings.port(), e);
        }
    }

    /** {@code http://127.0.0.1:PORT}: the base URL for the BFL dialect (its paths start with {@code /v1/}). */
    public URI baseUrl() {
        return baseUrl;
    }

    /**
     * The base URL for a provider id as the core names it: {@code bfl} is {@link #baseUrl()}, every gateway is under
     * its id, e.g. {@code http://127.0.0.1:PORT/fal}.
     *
     * @throws IllegalArgumentException for an id the simulator does not speak
     */
    public URI baseUrl(String provider) {
        URI base = dialectBases.get(provider);
        if (base == null) {
            throw new IllegalArgumentException(
                    "the simulator speaks " + String.join(", ", dialectBases.keySet()) + ", not " + provider);
        }
        return base;
    }

    /** The provider ids spoken, BFL first: bfl, toapis, vtrix, cometapi, fal, runflow, replicate. */
    public List<String> providers() {
        return List.copyOf(dialectBases.keySet());
    }

    public int port() {
        return baseUrl.getPort();
    }

    public SimulatorSettings settings() {
        return settings;
    }

    /** What has been billed and counted so far, across every dialect; an immutable snapshot. */
    public LedgerSnapshot ledger() {
        return board.snapshot();
    }

    /** One provider's ledger: its charges, its tasks and its counters (the credit balance is shared). */
    public LedgerSnapshot ledger(String provider) {
        baseUrl(provider);
        return board.snapshot(provider);
    }

    /** Tasks submitted and not yet ended, right now. */
    public int activeTasks() {
        return board.activeCount();
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
        board.close();
    }

    /** Which base URL to give each provider, one line each, as the standalone simulator prints them at start. */
    public String welcome() {
        StringBuilder text = new StringBuilder("FLUX.1 Kontext simulator listening on " + baseUrl
                + " (any non-blank key; images and ledger are simulated)\n");
        text.append("  Use --provider ID --base-url URL:\n");
        for (Map.Entry<String, URI> dialect : dialectBases.entrySet()) {
            text.append(String.format(Locale.ROOT, "    %-10s %s%n", dialect.getKey(), dialect.getValue()));
        }
        return text.toString();
    }

    /** The ledger of every provider that received a submit, one table each, then the total. */
    public String ledgersByProvider() {
        StringBuilder text = new StringBuilder();
        for (String provider : dialectBases.keySet()) {
            LedgerSnapshot ledger = ledger(provider);
            if (ledger.submitsReceived() > 0 || !ledger.tasks().isEmpty()) {
                text.append("== ")
                        .append(provider)
                        .append(" (")
                        .append(dialectBases.get(provider))
                        .append(") ==\n");
                text.append(ledger.table()).append('\n');
            }
        }
        LedgerSnapshot all = ledger();
        text.append(String.format(
                Locale.ROOT,
                "All providers would have billed %d task(s), $%s; credits left: %s.%n",
                all.billedCount(),
                all.totalUsd().toPlainString(),
                all.creditsLeft().toPlainString()));
        return text.toString();
    }

    /**
     * Runs standalone until stopped (Ctrl-C), then prints the ledger. Arguments: {@code [--port P]}.
     */
    public static void main(String[] args) throws InterruptedException {
        int port = 0;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--port") && i + 1 < args.length) {
                port = Integer.parseInt(args[++i]);
            } else {
                System.err.println("usage: FluxKontextSimulator [--port P]");
                System.exit(2);
            }
        }
        runUntilStopped(SimulatorSettings.builder().port(port).build(), System.out);
    }

    /**
     * Starts a simulator, prints how to reach it, and blocks until the JVM shuts down; a shutdown hook prints the
     * ledger to {@code out}. Used by {@code main} and by {@code flux-kontext simulate}.
     */
    public static void runUntilStopped(SimulatorSettings settings, PrintStream out) throws InterruptedException {
        FluxKontextSimulator sim = start(settings);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            out.println();
                            out.print(sim.ledgersByProvider());
                            out.flush();
                            sim.close();
                            stopped.countDown();
                        },
                        "flux-kontext-simulator-shutdown"));
        out.print(sim.welcome());
        out.println(
                "  active-task limit " + settings.activeTaskLimit() + " per provider; prompt words such as [sim:fail] "
                        + "misbehave on demand (docs/simulator.md). Press Ctrl-C to stop and print the ledgers.");
        out.flush();
        stopped.await();
    }
}
