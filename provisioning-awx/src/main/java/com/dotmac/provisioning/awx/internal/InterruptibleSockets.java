package com.dotmac.provisioning.awx.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import javax.net.SocketFactory;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;

/**
 * The AWX runner's plain sockets, each the socket of a {@link SocketChannel}: a connect, read or write blocked on one
 * ends at once when its thread is interrupted (the channel is closed and the call fails with
 * {@link java.nio.channels.ClosedByInterruptException}), where a classic socket would block until its timeout. TLS is
 * layered over it as over any socket. So the runner's calls end soon once interrupted, and the engine can make them
 * on its own thread. Timeouts ({@code setSoTimeout}, the connect timeout) work as on a classic socket. Stateless,
 * thread-safe.
 */
public final class InterruptibleSockets extends SocketFactory {
    /** The one instance. */
    public static final InterruptibleSockets INSTANCE = new InterruptibleSockets();

    private InterruptibleSockets() {
    }

    /** @return an unconnected socket of a new channel (OkHttp connects it with its connect timeout) */
    @Override
    public Socket createSocket() throws IOException {
        return SocketChannel.open().socket();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected(new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return connected(new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
    }

    /**
     * Whether a client's calls end soon once their thread is interrupted: its plain sockets come from here and it
     * does not reach AWX through a SOCKS proxy (whose sockets the JVM makes itself). A DNS lookup still blocks until
     * the resolver answers.
     *
     * @param client the runner's client
     * @return true when every socket the client opens is interruptible
     */
    public static boolean usedBy(OkHttpClient client) {
        java.net.Proxy proxy = client.proxy();
        boolean socks = proxy != null ? proxy.type() == java.net.Proxy.Type.SOCKS
                : System.getProperty("socksProxyHost") != null;
        return client.socketFactory() instanceof InterruptibleSockets && !socks;
    }

    private static Socket connected(InetSocketAddress remote, @Nullable InetSocketAddress local)
            throws IOException {
        Socket socket = SocketChannel.open().socket();
        try {
            if (local != null) {
                socket.bind(local);
            }
            socket.connect(remote);
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }
}
