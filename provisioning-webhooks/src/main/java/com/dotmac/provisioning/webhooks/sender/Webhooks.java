package com.dotmac.provisioning.webhooks.sender;

import com.dotmac.provisioning.memory.InMemoryWebhookDeliveryStore;
import com.dotmac.provisioning.retry.Backoff;
import com.dotmac.provisioning.spi.WebhookDeliveryStore;
import com.dotmac.provisioning.webhooks.WebhookDelivery;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Signed CloudEvents webhooks out of the durable outbox: builds the {@link WebhookEventConsumer} to register with the
 * provisioner and the {@link WebhookDispatcher} that posts, over one {@link WebhookDeliveryStore}.
 *
 * <pre>{@code
 * Webhooks webhooks = Webhooks.builder()
 *         .subscription(WebhookSubscription.builder("billing").url("https://billing.example.com/hooks")
 *                 .secret(secret).eventTypes("job.succeeded", "job.failed").build())
 *         .store(new JdbcWebhookDeliveryStore(dataSource))   // default: in memory
 *         .build();
 * TenantProvisioner provisioner = TenantProvisioner.builder()
 *         .repository(JdbcJobRepository.create(dataSource).withOutbox())
 *         .eventConsumer(Webhooks.CONSUMER_NAME, webhooks.eventConsumer())
 *         ...
 *         .build();
 * webhooks.dispatcher().start();   // and webhooks.close() on shutdown
 * }</pre>
 *
 * <p>Delivery is at least once (receivers deduplicate by the event id, the {@code Webhook-Id} header), in order per
 * (subscription, tenant) (and per rollout), with retries and dead letters as {@link WebhookDispatcher} says.
 * Thread-safe.
 */
public final class Webhooks implements AutoCloseable {
    /** The name to register the event consumer under. */
    public static final String CONSUMER_NAME = "webhooks";
    /** Default request timeout: 10 seconds. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** Default attempts before a dead letter: 8. */
    public static final int DEFAULT_MAX_ATTEMPTS = 8;
    /** Default most posts at once: 4. */
    public static final int DEFAULT_CONCURRENCY = 4;
    /**
     * Default most deliveries one claim of the dispatcher takes: 32. A claim reads the head of every live queue (on
     * JDBC about 9 ms with 1,000 tenants' queues live), so one claim should serve many posts; the lease grows with
     * the batch ({@link WebhookDispatcher#lease()}: 120 s with the default timeout, concurrency and batch), and so
     * does the wait before another node takes over a crashed node's claims.
     */
    public static final int DEFAULT_CLAIM_BATCH = 32;
    /** Default poll interval of the dispatcher: 1 second. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);

    private final List<WebhookSubscription> subscriptions;
    private final WebhookDeliveryStore store;
    private final Clock clock;
    private final WebhookDispatcher dispatcher;
    private final WebhookEventConsumer consumer;

    private Webhooks(Builder b) {
        this.subscriptions = List.copyOf(b.subscriptions.values());
        this.store = b.store != null ? b.store : new InMemoryWebhookDeliveryStore();
        this.clock = b.clock;
        HttpClient http = b.httpClient != null ? b.httpClient : HttpClient.newBuilder()
                .connectTimeout(b.timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        DeliveryPoster poster = new DeliveryPoster(http, new CloudEventsFormat(b.source), b.timeout, clock);
        this.dispatcher = new WebhookDispatcher(b.subscriptions, store, poster, clock,
                new WebhookDispatcher.Settings(b.nodeId, b.maxAttempts, b.backoff, b.concurrency, b.pollInterval,
                        b.timeout, b.claimBatch), b.jitter);
        this.consumer = new WebhookEventConsumer(subscriptions, store, clock, dispatcher::wakeUp);
    }

    /** @return a builder with the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the consumer to register with {@code eventConsumer(CONSUMER_NAME, ...)} */
    public WebhookEventConsumer eventConsumer() {
        return consumer;
    }

    /** @return the dispatcher (start it with the application, {@link #close()} it at the end) */
    public WebhookDispatcher dispatcher() {
        return dispatcher;
    }

    /** @return the store of deliveries */
    public WebhookDeliveryStore store() {
        return store;
    }

    /** @return the subscriptions, in the order they were added */
    public List<WebhookSubscription> subscriptions() {
        return subscriptions;
    }

    /**
     * @param subscription only this subscription's; all when null
     * @param offset how many to skip
     * @param limit the most to return
     * @return dead letters, oldest first
     */
    public List<WebhookDelivery> deadLetters(@Nullable String subscription, int offset, int limit) {
        return store.deadLetters(subscription, offset, limit);
    }

    /**
     * Puts a dead letter back at its place in its queue, due now, and wakes the dispatcher.
     *
     * @param deliveryId the dead letter's id
     * @return the delivery as it is now; empty when no dead letter has that id
     */
    public Optional<WebhookDelivery> redeliver(String deliveryId) {
        Optional<WebhookDelivery> d = store.redeliver(deliveryId, clock.instant());
        d.ifPresent(x -> dispatcher.wakeUp());
        return d;
    }

    /** Closes the dispatcher (see {@link WebhookDispatcher#close()}). */
    @Override
    public void close() {
        dispatcher.close();
    }

    /** A mutable builder of {@link Webhooks}; not thread-safe. */
    public static final class Builder {
        private final Map<String, WebhookSubscription> subscriptions = new LinkedHashMap<>();
        private @Nullable WebhookDeliveryStore store;
        private @Nullable HttpClient httpClient;
        private Clock clock = Clock.systemUTC();
        private Duration timeout = DEFAULT_TIMEOUT;
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Backoff backoff = Backoff.DEFAULT;
        private int concurrency = DEFAULT_CONCURRENCY;
        private int claimBatch = DEFAULT_CLAIM_BATCH;
        private Duration pollInterval = DEFAULT_POLL_INTERVAL;
        private URI source = CloudEventsFormat.DEFAULT_SOURCE;
        private String nodeId = "webhooks-" + UUID.randomUUID();
        private DoubleSupplier jitter = () -> ThreadLocalRandom.current().nextDouble();

        private Builder() {
        }

        /**
         * @param subscription a subscription
         * @return this
         * @throws IllegalArgumentException when one with the same name was added
         */
        public Builder subscription(WebhookSubscription subscription) {
            if (subscriptions.putIfAbsent(subscription.name(), subscription) != null) {
                throw new IllegalArgumentException("subscriptions: '" + subscription.name() + "' is named twice");
            }
            return this;
        }

        /** @param all subscriptions @return this @throws IllegalArgumentException on a name given twice */
        public Builder subscriptions(Collection<WebhookSubscription> all) {
            all.forEach(this::subscription);
            return this;
        }

        /** @param store where deliveries are queued (default: a new in-memory store) @return this */
        public Builder store(WebhookDeliveryStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * @param client the HTTP client (default: one with the timeout as connect timeout that follows no
         *     redirects)
         * @return this
         */
        public Builder httpClient(HttpClient client) {
            this.httpClient = Objects.requireNonNull(client, "httpClient");
            return this;
        }

        /** @param clock the clock of due times, timestamps and {@code Retry-After} dates @return this */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** @param timeout one request's timeout (default 10 s) @return this */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** @param n attempts before a dead letter, at least 1 (default 8) @return this */
        public Builder maxAttempts(int n) {
            this.maxAttempts = n;
            return this;
        }

        /** @param backoff the delay before each retry (default {@link Backoff#DEFAULT}) @return this */
        public Builder backoff(Backoff backoff) {
            this.backoff = Objects.requireNonNull(backoff, "backoff");
            return this;
        }

        /**
         * @param n the most posts at once, at least 1 (default 4); one subscription gets at most
         *     {@code max(1, n - 1)} of them, so that a slow receiver leaves room for the others
         * @return this
         */
        public Builder concurrency(int n) {
            this.concurrency = n;
            return this;
        }

        /**
         * @param n the most deliveries one claim takes, at least 1 (default {@value Webhooks#DEFAULT_CLAIM_BATCH}); the
         *     dispatcher claims when fewer buffered deliveries can start than it has threads, and its lease grows
         *     with the batch
         * @return this
         */
        public Builder claimBatch(int n) {
            this.claimBatch = n;
            return this;
        }

        /** @param interval how often the dispatcher looks for due deliveries (default 1 s) @return this */
        public Builder pollInterval(Duration interval) {
            this.pollInterval = Objects.requireNonNull(interval, "pollInterval");
            return this;
        }

        /** @param source the CloudEvents {@code source} (default {@code /tenant-provisioning}) @return this */
        public Builder source(URI source) {
            this.source = Objects.requireNonNull(source, "source");
            return this;
        }

        /** @param nodeId the owner of this node's claims (default a random one) @return this */
        public Builder nodeId(String nodeId) {
            this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
            return this;
        }

        /** @param jitter uniform values in [0, 1) for the back-off (tests fix it) @return this */
        public Builder jitter(DoubleSupplier jitter) {
            this.jitter = Objects.requireNonNull(jitter, "jitter");
            return this;
        }

        /**
         * @return the webhooks (the dispatcher not started)
         * @throws IllegalArgumentException naming the first bad setting
         */
        public Webhooks build() {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout: must be positive, was " + timeout);
            }
            if (pollInterval.isNegative() || pollInterval.isZero()) {
                throw new IllegalArgumentException("pollInterval: must be positive, was " + pollInterval);
            }
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts: must be at least 1, was " + maxAttempts);
            }
            if (concurrency < 1) {
                throw new IllegalArgumentException("concurrency: must be at least 1, was " + concurrency);
            }
            if (claimBatch < 1) {
                throw new IllegalArgumentException("claimBatch: must be at least 1, was " + claimBatch);
            }
            return new Webhooks(this);
        }
    }

    /** @return the subscriptions' names; never a secret */
    @Override
    public String toString() {
        List<String> names = new ArrayList<>();
        subscriptions.forEach(s -> names.add(s.name()));
        return "Webhooks" + names;
    }
}
