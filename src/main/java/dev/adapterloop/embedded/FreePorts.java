package dev.adapterloop.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.function.IntSupplier;

/** Loopback ports for the embedded servers. */
final class FreePorts {
    static final String LOOPBACK = "127.0.0.1";

    private FreePorts() {
    }

    /** {@code port} itself, or for 0 a port that was free a moment ago (the caller retries if someone takes it). */
    static int resolve(int port) {
        if (port != 0) {
            return port;
        }
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    /**
     * A free port other than {@code taken}: the broker's controller listener beside its client listener. Two picks in
     * a row can return the same ephemeral port once the first probe socket is closed, and a broker given one port for
     * both listeners refuses to start (seen once in a container).
     */
    static int resolveOther(int taken) {
        return other(taken, () -> resolve(0));
    }

    /** The first of {@code picks} that differs from {@code taken}. */
    static int other(int taken, IntSupplier picks) {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = picks.getAsInt();
            if (port != taken) {
                return port;
            }
        }
        throw new IllegalStateException("no free loopback port other than " + taken + " in 100 tries");
    }

    /** Fails with a plain message when a fixed port is taken, before a server starts and logs stack traces about it. */
    static void requireFree(String server, int port) {
        if (port == 0) {
            return;
        }
        // SO_REUSEADDR before binding, as the servers set it: connections of a server that just stopped on this port
        // linger in TIME_WAIT and would otherwise make a restart on the same port look taken.
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), port), 1);
        } catch (IOException e) {
            throw new IllegalStateException(server + " cannot listen on " + LOOPBACK + ":" + port + ": " + e.getMessage()
                    + " (choose another port, or 0 for any free one)", e);
        }
    }

    static void requireValid(String name, int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("`" + name + "` must be 0 (any free port) or 1..65535, got " + port);
        }
    }
}
