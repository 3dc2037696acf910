package dev.adapterloop.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real TCP proxy between a client and a server (here: the service and S3), which a test can cut and restore, or
 * tell to swallow the answer to the next requests that match: the request reaches the server and is applied, the
 * client sees its connection close without a response, as when a network drops an answer.
 */
public final class FaultyTcpProxy implements AutoCloseable {

    private final InetSocketAddress target;
    private final ServerSocket listener;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean cut;
    private volatile String dropMarker;
    private final AtomicInteger answersToDrop = new AtomicInteger();
    private final AtomicInteger answersDropped = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong refused = new java.util.concurrent.atomic.AtomicLong();
    private final Thread acceptor;

    private FaultyTcpProxy(InetSocketAddress target, int port) throws IOException {
        this.target = target;
        this.listener = new ServerSocket();
        listener.setReuseAddress(true);
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        acceptor = Thread.ofPlatform().daemon().name("faulty-proxy-" + listener.getLocalPort()).start(this::accept);
    }

    /** A proxy on a free port (0) or a given one, to {@code host:port}. */
    public static FaultyTcpProxy start(String host, int targetPort, int port) {
        try {
            return new FaultyTcpProxy(new InetSocketAddress(host, targetPort), port);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start a proxy to " + host + ":" + targetPort, e);
        }
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** From now on every connection, open or new, is closed at once: the server is unreachable. */
    public void cut() {
        cut = true;
        open.forEach(FaultyTcpProxy::closeQuietly);
    }

    public void restore() {
        cut = false;
    }

    /**
     * The next {@code count} requests whose head contains {@code marker} (case-insensitive, e.g. {@code "if-match"})
     * reach the server, and their answers are swallowed: the client's connection closes instead.
     */
    public void dropAnswers(String marker, int count) {
        dropMarker = marker.toLowerCase(Locale.ROOT);
        answersToDrop.set(count);
    }

    /** Connections closed at once because the proxy was cut: attempts of the client during an outage. */
    public long connectionsRefused() {
        return refused.get();
    }

    public int answersDropped() {
        return answersDropped.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                if (cut) {
                    refused.incrementAndGet();
                    closeQuietly(client);
                    continue;
                }
                Socket server = new Socket();
                try {
                    server.connect(target, 2_000);
                } catch (IOException e) {
                    closeQuietly(client);
                    continue;
                }
                open.add(client);
                open.add(server);
                Connection connection = new Connection(client, server);
                Thread.ofPlatform().daemon().start(connection::upstream);
                Thread.ofPlatform().daemon().start(connection::downstream);
            } catch (IOException e) {
                if (!listener.isClosed()) {
                    continue;
                }
                return;
            }
        }
    }

    private final class Connection {
        private final Socket client;
        private final Socket server;
        /** Set when the request just sent upstream is one whose answer must be swallowed. */
        private volatile boolean swallowNextAnswer;

        Connection(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void upstream() {
            try (InputStream in = client.getInputStream(); OutputStream out = server.getOutputStream()) {
                byte[] buffer = new byte[64 * 1024];
                for (int n = in.read(buffer); n >= 0 && !cut; n = in.read(buffer)) {
                    String marker = dropMarker;
                    if (marker != null && answersToDrop.get() > 0
                            && new String(buffer, 0, n, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT)
                                    .contains(marker)
                            && answersToDrop.getAndDecrement() > 0) {
                        swallowNextAnswer = true;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // either side went away: the other is closed below
            } finally {
                close();
            }
        }

        void downstream() {
            try (InputStream in = server.getInputStream(); OutputStream out = client.getOutputStream()) {
                byte[] buffer = new byte[64 * 1024];
                for (int n = in.read(buffer); n >= 0 && !cut; n = in.read(buffer)) {
                    if (swallowNextAnswer) {
                        answersDropped.incrementAndGet();
                        return; // the server has answered, so it applied the request; the client never hears
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // as above
            } finally {
                close();
            }
        }

        private void close() {
            closeQuietly(client);
            closeQuietly(server);
            open.remove(client);
            open.remove(server);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException | RuntimeException e) {
            // closing is best effort
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            // nothing left to do
        }
        cut();
        acceptor.interrupt();
    }
}
