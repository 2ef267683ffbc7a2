package com.dotmac.provisioning.webhooks.sender;

import com.dotmac.provisioning.retry.Backoff;
import com.dotmac.provisioning.spi.WebhookDeliveryStore;
import com.dotmac.provisioning.webhooks.WebhookDelivery;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts queued webhook deliveries, on threads of its own (never the engine's): a loop thread claims the due heads of
 * the queues ({@link WebhookDeliveryStore#claimDue}, leased to this node) at most as many as the pool has free
 * threads, and a small bounded pool posts them, one request each with its timeout, so a slow receiver holds one
 * thread and its own queue, never other subscriptions.
 *
 * <p>Outcomes: 2xx delivered (removed from the store); 5xx, 408, 429, timeouts and connection errors are retried
 * after the back-off of the attempt (or the receiver's {@code Retry-After}, capped at the back-off's maximum) until
 * the last attempt, which makes a dead letter; any other status makes a dead letter at once (a receiver that refuses
 * the payload will not change its mind; an operator redelivers it once the receiver is fixed). Failures are logged at
 * WARN with the subscription, delivery and event ids and the short error, never the secret, URL query or body.
 *
 * <p>{@link #start()} runs the loop every poll interval (and at once after a {@link #wakeUp()}); tests call
 * {@link #dispatchOnce()} instead and wait for its results, with a hand-moved clock. Thread-safe.
 */
public final class WebhookDispatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

    /**
     * The dispatcher's settings.
     *
     * @param nodeId the owner its claims carry
     * @param maxAttempts attempts before a dead letter
     * @param backoff the delay before each retry
     * @param concurrency the pool's threads: the most posts at once
     * @param pollInterval how often the loop looks for due deliveries
     * @param lease how long a claim lasts (longer than a request can take)
     */
    record Settings(String nodeId, int maxAttempts, Backoff backoff, int concurrency, Duration pollInterval,
            Duration lease) {
    }

    private final Map<String, WebhookSubscription> subscriptions;
    private final WebhookDeliveryStore store;
    private final DeliveryPoster poster;
    private final Clock clock;
    private final Settings settings;
    private final DoubleSupplier jitter;
    private final ThreadPoolExecutor pool;
    private final AtomicInteger inFlight = new AtomicInteger();
    private @Nullable ScheduledExecutorService loop;

    WebhookDispatcher(Map<String, WebhookSubscription> subscriptions, WebhookDeliveryStore store,
            DeliveryPoster poster, Clock clock, Settings settings, DoubleSupplier jitter) {
        this.subscriptions = Map.copyOf(subscriptions);
        this.store = store;
        this.poster = poster;
        this.clock = clock;
        this.settings = settings;
        this.jitter = jitter;
        this.pool = new ThreadPoolExecutor(settings.concurrency(), settings.concurrency(), 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), daemon("webhook-post-"));
        this.pool.allowCoreThreadTimeOut(true);
    }

    /** Starts the loop on its own daemon thread; does nothing when it runs. */
    public synchronized void start() {
        if (loop != null) {
            return;
        }
        ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(daemon("webhook-dispatcher-"));
        s.scheduleWithFixedDelay(this::dispatchQuietly, 0, settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        loop = s;
    }

    /** @return whether the loop runs */
    public synchronized boolean isRunning() {
        return loop != null;
    }

    /**
     * Stops the loop (posts under way finish on the pool; their deliveries stay leased until they do). The loop can
     * be started again.
     */
    public synchronized void stop() {
        ScheduledExecutorService s = loop;
        loop = null;
        if (s != null) {
            s.shutdownNow();
        }
    }

    /** Asks the running loop to look for due deliveries now; does nothing when it does not run. Never blocks. */
    public void wakeUp() {
        ScheduledExecutorService s;
        synchronized (this) {
            s = loop;
        }
        if (s != null) {
            try {
                s.execute(this::dispatchQuietly);
            } catch (RejectedExecutionException stopped) {
                // stopped meanwhile
            }
        }
    }

    /**
     * Claims the due deliveries the pool has room for and starts posting them; returns at once.
     *
     * @return one future per claimed delivery, completed when its outcome is recorded (never exceptionally)
     */
    public List<CompletableFuture<DispatchResult>> dispatchOnce() {
        int free = settings.concurrency() - inFlight.get();
        if (free <= 0) {
            return List.of();
        }
        Instant now = clock.instant();
        List<WebhookDelivery> claimed = store.claimDue(settings.nodeId(), now, now.plus(settings.lease()), free);
        List<CompletableFuture<DispatchResult>> results = new ArrayList<>(claimed.size());
        for (WebhookDelivery d : claimed) {
            inFlight.incrementAndGet();
            CompletableFuture<DispatchResult> f;
            try {
                f = CompletableFuture.supplyAsync(() -> attempt(d), pool);
            } catch (RejectedExecutionException closed) {
                inFlight.decrementAndGet();
                continue; // closed: the lease runs out and another node (or a restart) takes it
            }
            results.add(f.whenComplete((r, e) -> {
                inFlight.decrementAndGet();
                wakeUp(); // the queue's next delivery may be due now
            }));
        }
        return results;
    }

    private void dispatchQuietly() {
        try {
            dispatchOnce();
        } catch (RuntimeException e) {
            log.warn("Webhook dispatch failed to claim deliveries: {}", e.toString());
        }
    }

    private DispatchResult attempt(WebhookDelivery d) {
        try {
            WebhookSubscription subscription = subscriptions.get(d.subscription());
            if (subscription == null) {
                return dead(d, "subscription not configured");
            }
            DeliveryPoster.Outcome outcome = poster.post(subscription, d.event());
            String error = outcome.error();
            if (outcome.kind() == DeliveryPoster.Kind.DELIVERED || error == null) {
                return recorded(store.delivered(d), new DispatchResult(d, DispatchResult.Status.DELIVERED, null,
                        null));
            }
            int attempt = d.attempts() + 1;
            if (outcome.kind() == DeliveryPoster.Kind.FINAL || attempt >= settings.maxAttempts()) {
                return dead(d, error);
            }
            Instant retryAt = clock.instant().plus(delay(attempt, outcome.retryAfter()));
            log.warn("Webhook delivery {} of event {} to subscription '{}' failed (attempt {} of {}): {}; retry at {}",
                    d.id(), d.event().id(), d.subscription(), attempt, settings.maxAttempts(), error, retryAt);
            return recorded(store.retryLater(d, retryAt, error),
                    new DispatchResult(d, DispatchResult.Status.RETRY_LATER, error, retryAt));
        } catch (RuntimeException e) {
            log.warn("Webhook delivery {} to subscription '{}': could not record the outcome: {}", d.id(),
                    d.subscription(), e.getClass().getSimpleName());
            return new DispatchResult(d, DispatchResult.Status.NOT_RECORDED, null, null);
        }
    }

    private Duration delay(int attempt, @Nullable Duration retryAfter) {
        if (retryAfter != null && !retryAfter.isZero()) {
            Duration max = settings.backoff().maxDelay();
            return retryAfter.compareTo(max) > 0 ? max : retryAfter;
        }
        return settings.backoff().delay(attempt, jitter);
    }

    private DispatchResult dead(WebhookDelivery d, String error) {
        log.warn("Webhook delivery {} of event {} to subscription '{}' is a dead letter after {} attempt(s): {}",
                d.id(), d.event().id(), d.subscription(), d.attempts() + 1, error);
        return recorded(store.deadLetter(d, error, clock.instant()),
                new DispatchResult(d, DispatchResult.Status.DEAD_LETTER, error, null));
    }

    private static DispatchResult recorded(boolean written, DispatchResult result) {
        return written ? result : new DispatchResult(result.delivery(), DispatchResult.Status.NOT_RECORDED,
                result.error(), null);
    }

    /** Stops the loop and the pool, waiting up to the lease for posts under way. */
    @Override
    public void close() {
        stop();
        pool.shutdown();
        try {
            pool.awaitTermination(settings.lease().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
