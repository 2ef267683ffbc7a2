package com.dotmac.provisioning.benchmarks.events;

import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.benchmarks.support.StatementCounter;
import com.dotmac.provisioning.jdbc.JdbcDialect;
import com.dotmac.provisioning.jdbc.JdbcWebhookDeliveryStore;
import com.dotmac.provisioning.json.JsonValuesCodec;
import com.dotmac.provisioning.webhooks.sender.InvalidWebhookSignatureException;
import com.dotmac.provisioning.webhooks.sender.WebhookSignature;
import com.dotmac.provisioning.webhooks.sender.WebhookSignatureVerifier;
import com.dotmac.provisioning.webhooks.sender.WebhookSubscription;
import com.dotmac.provisioning.webhooks.sender.Webhooks;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Webhooks as the receiving end, over the real two-hop path: the engine's outbox hands each event to
 * {@code Webhooks.eventConsumer()} (registered as {@value Webhooks#CONSUMER_NAME}), which queues it in a
 * {@link JdbcWebhookDeliveryStore} on the jobs' database; the module's {@code WebhookDispatcher} (started here,
 * closed by {@link #close()}) claims it and posts the signed CloudEvent to an HTTP server on the loopback address
 * (the JDK's {@code com.sun.net.httpserver}, one thread per concurrent post). The server checks every request with
 * {@link WebhookSignatureVerifier} and reads the CloudEvent's {@code id} (which must equal the {@code Webhook-Id}
 * header) and {@code time}; the time of receipt is taken when the body has been read, before the check. A request
 * that fails the check or cannot be read is answered 401 / 400 and recorded as {@link Receipts#rejected}, which
 * fails the run.
 *
 * <p>The subscription's secret is random per receiver and never leaves it (no log, no report, no
 * {@code toString}). The queue's statements are counted apart ({@link #hopStatements()}). Thread-safe: the server's
 * threads write to the thread-safe {@link Receipts}; {@link #attach} and {@link #close()} run once each, on the
 * benchmark's thread.
 */
public final class WebhookReceiver implements EventReceiver {
    /** The subscription's name. */
    public static final String SUBSCRIPTION = "benchmark";
    private static final String PATH = "/hooks/provisioning";
    private static final int SERVER_THREADS = Webhooks.DEFAULT_CONCURRENCY;

    private final StatementCounter queue;
    private final JdbcDialect dialect;
    private final Duration pollInterval;
    private final Clock clock;
    private final String secret;
    private @Nullable HttpServer server;
    private @Nullable ExecutorService serverThreads;
    private @Nullable Webhooks webhooks;

    /**
     * @param dataSource the jobs' database (a pool of its own: the queue's statements are counted on it)
     * @param dialect its dialect
     * @param pollInterval the dispatcher's poll interval ({@link Webhooks#DEFAULT_POLL_INTERVAL} by default)
     * @param clock the time of receipt (the real clock: the events' {@code time} is the engine's real time)
     */
    public WebhookReceiver(DataSource dataSource, JdbcDialect dialect, Duration pollInterval, Clock clock) {
        this.queue = new StatementCounter(dataSource);
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
        this.clock = Objects.requireNonNull(clock, "clock");
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        this.secret = HexFormat.of().formatHex(random);
    }

    @Override
    public String name() {
        return "webhook (signed CloudEvents over HTTP)";
    }

    /**
     * Starts the HTTP server and the dispatcher, and registers the webhooks' event consumer on the builder.
     *
     * @throws UncheckedIOException when the server cannot listen
     * @throws IllegalStateException when attached twice
     */
    @Override
    public synchronized void attach(TenantProvisioner.Builder builder, Receipts receipts) {
        if (server != null) {
            throw new IllegalStateException("webhook receiver: attached twice");
        }
        WebhookSignatureVerifier verifier = new WebhookSignatureVerifier(secret.getBytes(StandardCharsets.UTF_8));
        HttpServer http;
        try {
            http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("webhook receiver: could not listen on the loopback address", e);
        }
        AtomicInteger n = new AtomicInteger();
        serverThreads = Executors.newFixedThreadPool(SERVER_THREADS, r -> {
            Thread t = new Thread(r, "bench-webhook-receiver-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(serverThreads);
        http.createContext(PATH, exchange -> handle(exchange, verifier, receipts));
        http.start();
        server = http;
        Webhooks w = Webhooks.builder()
                .subscription(WebhookSubscription.builder(SUBSCRIPTION).url(uri().toString()).secret(secret).build())
                .store(new JdbcWebhookDeliveryStore(queue, dialect))
                .pollInterval(pollInterval)
                .nodeId("bench-webhooks")
                .build();
        webhooks = w;
        queue.reset();
        builder.eventConsumer(Webhooks.CONSUMER_NAME, w.eventConsumer());
        w.dispatcher().start();
    }

    /**
     * @return where the server takes the posts ({@code http://127.0.0.1:<port>/hooks/provisioning})
     * @throws IllegalStateException before {@link #attach}
     */
    public synchronized URI uri() {
        HttpServer s = server;
        if (s == null) {
            throw new IllegalStateException("webhook receiver: not attached");
        }
        InetSocketAddress a = s.getAddress();
        return URI.create("http://" + a.getAddress().getHostAddress() + ":" + a.getPort() + PATH);
    }

    private void handle(HttpExchange exchange, WebhookSignatureVerifier verifier, Receipts receipts)
            throws IOException {
        try {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Instant receivedAt = clock.instant();
            Headers h = exchange.getRequestHeaders();
            int status;
            try {
                verifier.verify(h.getFirst(WebhookSignature.TIMESTAMP_HEADER),
                        h.getFirst(WebhookSignature.SIGNATURE_HEADER), body);
                Map<String, Object> event = JsonValuesCodec.standard().readObject(body);
                if (!(event.get("id") instanceof String id) || !(event.get("time") instanceof String time)) {
                    throw new IllegalArgumentException("no string id and time");
                }
                if (!id.equals(h.getFirst(WebhookSignature.ID_HEADER))) {
                    throw new IllegalArgumentException("the " + WebhookSignature.ID_HEADER + " header is not the id");
                }
                receipts.received(id, Instant.parse(time), receivedAt);
                status = 204;
            } catch (InvalidWebhookSignatureException e) {
                receipts.rejected("webhook signature refused: " + e.getMessage());
                status = 401;
            } catch (IllegalArgumentException | DateTimeParseException e) {
                receipts.rejected("webhook body refused: " + e.getMessage());
                status = 400;
            } catch (RuntimeException e) {
                receipts.rejected("webhook body refused: " + e.getClass().getSimpleName());
                status = 400;
            }
            exchange.sendResponseHeaders(status, -1);
        } finally {
            exchange.close();
        }
    }

    @Override
    public StatementCounter.Counts hopStatements() {
        return queue.counts();
    }

    /** Closes the dispatcher (posts under way finish), then the server. Idempotent. */
    @Override
    public synchronized void close() {
        if (webhooks != null) {
            webhooks.close();
            webhooks = null;
        }
        if (server != null) {
            server.stop(0);
            server = null;
        }
        if (serverThreads != null) {
            serverThreads.shutdownNow();
            serverThreads = null;
        }
    }

    /** @return the name and the address when attached; never the secret */
    @Override
    public synchronized String toString() {
        return "WebhookReceiver[" + (server == null ? "not attached" : uri()) + "]";
    }
}
