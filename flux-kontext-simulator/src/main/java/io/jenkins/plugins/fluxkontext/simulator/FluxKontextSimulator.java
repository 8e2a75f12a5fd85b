package io.jenkins.plugins.fluxkontext.simulator;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A FLUX.1 Kontext provider on loopback: speaks BFL's API (more dialects follow), paints real images, misbehaves on
 * demand, limits active tasks, and keeps a ledger of what a real provider would have billed.
 *
 * <pre>{@code
 * try (FluxKontextSimulator sim = FluxKontextSimulator.start(SimulatorSettings.defaults())) {
 *     URI base = sim.baseUrl();          // http://127.0.0.1:PORT
 *     ... run the engine against base ...
 *     LedgerSnapshot ledger = sim.ledger();
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

    private FluxKontextSimulator(SimulatorSettings settings) throws IOException {
        this.settings = settings;
        // Loopback only: the simulator accepts any key and must never be reachable from the network.
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), settings.port()), 128);
        baseUrl = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        board = new TaskBoard(settings);
        ImagePainter painter = new ImagePainter();
        ResultDelivery delivery = new ResultDelivery(board, painter, baseUrl);
        ApiKeys keys = new ApiKeys(settings.acceptedKeys());
        for (SimulatedDialect dialect : List.<SimulatedDialect>of(new BflDialect(board, delivery, keys, baseUrl))) {
            for (String prefix : dialect.pathPrefixes()) {
                server.createContext(prefix, dialect::handle);
            }
        }
        server.createContext(ResultDelivery.PREFIX, delivery::handle);
        server.createContext("/", exchange -> {
            try (exchange) {
                Reply.detail(exchange, 404, "Not Found");
            }
        });
        // Virtual threads: slow bodies and long-held requests must not starve other clients.
        workers = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(workers);
        server.start();
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

    public int port() {
        return baseUrl.getPort();
    }

    public SimulatorSettings settings() {
        return settings;
    }

    /** What has been billed and counted so far; an immutable snapshot. */
    public LedgerSnapshot ledger() {
        return board.snapshot();
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
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println();
            out.print(sim.ledger().table());
            out.flush();
            sim.close();
            stopped.countDown();
        }, "flux-kontext-simulator-shutdown"));
        out.println("FLUX.1 Kontext simulator listening on " + sim.baseUrl() + " (BFL dialect; any non-blank x-key)");
        out.println("  submit: POST " + sim.baseUrl() + "/v1/flux-kontext-max   poll: the polling_url it returns");
        out.println("  active-task limit " + settings.activeTaskLimit() + "; prompt words such as [sim:fail] misbehave on "
                + "demand (docs/simulator.md). Press Ctrl-C to stop and print the ledger.");
        out.flush();
        stopped.await();
    }
}
