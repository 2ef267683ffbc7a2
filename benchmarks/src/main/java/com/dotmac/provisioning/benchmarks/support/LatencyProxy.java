package com.dotmac.provisioning.benchmarks.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP relay on localhost that adds latency to a server (here PostgreSQL): every chunk read from one side is held
 * for {@code delay} from the moment it was read, then written to the other side, in each direction. A request and
 * its answer therefore take at least twice the delay more than without the proxy (1 ms → 2 ms per round trip).
 * The holding thread sleeps ({@link LockSupport#parkNanos}), it does not spin: the latency costs no CPU. Two
 * threads per connection (one per direction); chunks of one direction stay in order, so a chunk that arrives while
 * the one before it is held waits for that one too (the wire protocol here is request then answer, so that is
 * rare). Thread-safe; {@link #close()} closes the listening socket and every relayed connection.
 */
public final class LatencyProxy implements AutoCloseable {
    private static final AtomicInteger PROXIES = new AtomicInteger();

    private final ServerSocket server;
    private final String targetHost;
    private final int targetPort;
    private final long delayNanos;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicLong chunks = new AtomicLong();
    private final AtomicLong heldNanos = new AtomicLong();
    private final AtomicInteger connections = new AtomicInteger();
    private final int number = PROXIES.incrementAndGet();
    private volatile boolean closed;

    private LatencyProxy(ServerSocket server, String targetHost, int targetPort, Duration delay) {
        this.server = server;
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.delayNanos = delay.toNanos();
    }

    /**
     * Starts a proxy listening on an ephemeral port of the loopback interface.
     *
     * @param targetHost the server's host
     * @param targetPort the server's port
     * @param delay the hold of each chunk in each direction, not negative
     * @return the running proxy
     * @throws UncheckedIOException when no port could be opened
     */
    public static LatencyProxy start(String targetHost, int targetPort, Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative");
        }
        try {
            ServerSocket server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            LatencyProxy proxy = new LatencyProxy(server, targetHost, targetPort, delay);
            proxy.thread("accept", proxy::acceptLoop).start();
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException("could not open the latency proxy", e);
        }
    }

    /** @return the port clients connect to (on the loopback address) */
    public int port() {
        return server.getLocalPort();
    }

    /** @return chunks relayed so far, both directions */
    public long chunks() {
        return chunks.get();
    }

    /**
     * @return the time from reading a chunk to having written it, summed over the chunks relayed so far, in
     *     nanoseconds (the delay plus how late the holding thread woke up and wrote)
     */
    public long heldNanos() {
        return heldNanos.get();
    }

    /** @return connections accepted so far */
    public int connections() {
        return connections.get();
    }

    private Thread thread(String role, Runnable body) {
        Thread t = new Thread(body, "latency-proxy-" + number + "-" + role);
        t.setDaemon(true);
        return t;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Socket upstream;
                try {
                    upstream = new Socket(targetHost, targetPort);
                } catch (IOException e) {
                    client.close();
                    continue;
                }
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(upstream);
                int n = connections.incrementAndGet();
                thread(n + "-up", () -> relay(client, upstream)).start();
                thread(n + "-down", () -> relay(upstream, client)).start();
            } catch (IOException e) {
                if (!closed) {
                    continue;
                }
                return;
            }
        }
    }

    private void relay(Socket from, Socket to) {
        byte[] buffer = new byte[64 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                long read = System.nanoTime();
                hold(read + delayNanos);
                out.write(buffer, 0, n);
                out.flush();
                heldNanos.addAndGet(System.nanoTime() - read);
                chunks.incrementAndGet();
            }
        } catch (IOException e) {
            // the other direction or close() ended the connection
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void hold(long until) {
        long left;
        while ((left = until - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }

    private void closeQuietly(Socket s) {
        sockets.remove(s);
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    /** Stops accepting and closes every relayed connection. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        sockets.forEach(this::closeQuietly);
    }
}
