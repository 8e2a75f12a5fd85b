package io.jenkins.plugins.fluxkontext.core.faults;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback port that only counts who connects to it and hangs up: stands in for a place a result URL must never
 * lead to (a metadata service, an internal host), without any traffic leaving the machine.
 */
final class ConnectionCounter implements AutoCloseable {

    private final ServerSocket socket;
    private final AtomicInteger connections = new AtomicInteger();
    private final Thread acceptor;

    ConnectionCounter() throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(
                () -> {
                    while (!socket.isClosed()) {
                        try (Socket ignored = socket.accept()) {
                            connections.incrementAndGet();
                        } catch (IOException e) {
                            return; // closed
                        }
                    }
                },
                "connection-counter");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    int connections() {
        return connections.get();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
