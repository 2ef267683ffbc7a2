package com.dotmac.provisioning.webhooks.sender;

import com.dotmac.provisioning.retry.Backoff;
import com.dotmac.provisioning.spi.WebhookDeliveryStore;
import com.dotmac.provisioning.webhooks.WebhookDelivery;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts queued webhook deliveries, on threads of its own (never the engine's): a loop thread claims due heads of the
 * queues ({@link WebhookDeliveryStore#claimDue}, leased to this node) in batches into a small local buffer, and a
 * small bounded pool posts them, one request each with its timeout.
 *
 * <p><b>Claims in batches.</b> A claim reads the heads of every live queue, so its cost grows with the number of
 * queues, not with how many it returns: the dispatcher claims only when fewer buffered deliveries wait only for a
 * thread (their subscription is below its share) than the pool has threads, and then up to the claim batch at once
 * (never more than twice the batch buffered). A buffered delivery is posted only while its post can still end within
 * its lease (lease end − request timeout ≥ now); otherwise it is dropped unposted, and once its lease runs out it is
 * claimed again (here or on another node). The lease is sized to the batch: {@code timeout × (1 + ⌈batch / concurrency⌉) + 30 s}, the time a full batch ahead of
 * a delivery takes to drain when every post times out, plus its own post and a margin.
 *
 * <p><b>Each subscription's share.</b> At most {@code max(1, concurrency − 1)} posts of one subscription are in flight
 * at once; its further buffered deliveries wait while other subscriptions' go first, so a slow receiver with heads in
 * many queues holds at most its share of the pool, never every thread. (A subscription whose heads are all older
 * than another's can still fill the buffer: up to twice the batch is claimed in the store's oldest-first order.)
 *
 * <p>Outcomes: 2xx delivered (removed from the store); 5xx, 408, 429, timeouts and connection errors are retried
 * after the back-off of the attempt (or the receiver's {@code Retry-After}, capped at the back-off's maximum) until
 * the last attempt, which makes a dead letter; any other status makes a dead letter at once (a receiver that refuses
 * the payload will not change its mind; an operator redelivers it once the receiver is fixed). Failures are logged at
 * WARN with the subscription, delivery and event ids and the short error, never the secret, URL query or body.
 *
 * <p>{@link #start()} runs the loop every poll interval (and at once after a {@link #wakeUp()}, e.g. after each
 * finished post); tests call {@link #dispatchOnce()} instead and wait for its results, with a hand-moved clock.
 * Thread-safe.
 */
public final class WebhookDispatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);
    private static final Duration LEASE_MARGIN = Duration.ofSeconds(30);

    /**
     * The dispatcher's settings.
     *
     * @param nodeId the owner its claims carry
     * @param maxAttempts attempts before a dead letter
     * @param backoff the delay before each retry
     * @param concurrency the pool's threads: the most posts at once
     * @param pollInterval how often the loop looks for due deliveries
     * @param timeout one request's timeout
     * @param claimBatch the most deliveries one claim takes
     */
    record Settings(String nodeId, int maxAttempts, Backoff backoff, int concurrency, Duration pollInterval,
            Duration timeout, int claimBatch) {

        /** @return how long a claim lasts: long enough for a full batch to drain when every post times out */
        Duration lease() {
            long rounds = 1 + (claimBatch + concurrency - 1) / concurrency;
            return timeout.multipliedBy(rounds).plus(LEASE_MARGIN);
        }

        /** @return the most posts of one subscription at once */
        int perSubscription() {
            return Math.max(1, concurrency - 1);
        }

        /** @return the most deliveries held claimed but not yet posting */
        int maxBuffered() {
            return 2 * claimBatch;
        }
    }

    /** A claimed delivery waiting for a thread, with the end of its lease. */
    private record Buffered(WebhookDelivery delivery, Instant leaseUntil) {
    }

    private final Map<String, WebhookSubscription> subscriptions;
    private final WebhookDeliveryStore store;
    private final DeliveryPoster poster;
    private final Clock clock;
    private final Settings settings;
    private final DoubleSupplier jitter;
    private final ThreadPoolExecutor pool;
    private final Object lock = new Object();
    /** Claimed, not yet posting, oldest first; guarded by {@link #lock}. */
    private final Deque<Buffered> buffer = new ArrayDeque<>();
    /** Posts under way per subscription; guarded by {@link #lock}. */
    private final Map<String, Integer> postingBySubscription = new HashMap<>();
    /** Posts under way; guarded by {@link #lock}. */
    private int posting;
    /** Whether a wake-up is queued on the loop and has not started. */
    private final AtomicBoolean wakeQueued = new AtomicBoolean();
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

    /** @return how long each claim of this dispatcher lasts (see the class comment for its size) */
    public Duration lease() {
        return settings.lease();
    }

    /** Starts the loop on its own daemon thread; does nothing when it runs. */
    public synchronized void start() {
        if (loop != null) {
            return;
        }
        wakeQueued.set(false); // a wake-up dropped by an earlier stop
        ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(daemon("webhook-dispatcher-"));
        s.scheduleWithFixedDelay(this::dispatchQuietly, 0, settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        loop = s;
    }

    /** @return whether the loop runs */
    public synchronized boolean isRunning() {
        return loop != null;
    }

    /**
     * Stops the loop (posts under way finish on the pool; their deliveries stay leased until they do; buffered ones
     * wait for the next start, or their leases run out). The loop can be started again.
     */
    public synchronized void stop() {
        ScheduledExecutorService s = loop;
        loop = null;
        if (s != null) {
            s.shutdownNow();
        }
    }

    /**
     * Asks the running loop to look for due deliveries now; does nothing when it does not run. Never blocks. Wake-ups
     * coalesce: while one is queued and has not started, further ones add nothing (a claim reads every live queue's
     * head, so a burst of enqueues and finished posts makes one more pass, not one each).
     */
    public void wakeUp() {
        ScheduledExecutorService s;
        synchronized (this) {
            s = loop;
        }
        if (s != null && wakeQueued.compareAndSet(false, true)) {
            try {
                s.execute(this::wokenUp);
            } catch (RejectedExecutionException stopped) {
                wakeQueued.set(false); // stopped meanwhile
            }
        }
    }

    private void wokenUp() {
        wakeQueued.set(false); // wake-ups from now on make another pass
        dispatchQuietly();
    }

    /**
     * Drops buffered deliveries whose post could no longer end within their lease, claims a batch when fewer
     * buffered deliveries wait only for a thread than the pool has threads, and starts posting as many buffered
     * deliveries as the pool and each subscription's share allow, oldest first; returns at once.
     *
     * @return one future per post started now, completed when its outcome is recorded (never exceptionally)
     * @throws RuntimeException when the store fails to claim (nothing is started then)
     */
    public List<CompletableFuture<DispatchResult>> dispatchOnce() {
        synchronized (lock) {
            Instant now = clock.instant();
            dropStale(now);
            if (startable() < settings.concurrency() && buffer.size() < settings.maxBuffered()) {
                int limit = Math.min(settings.claimBatch(), settings.maxBuffered() - buffer.size());
                Instant leaseUntil = now.plus(settings.lease());
                for (WebhookDelivery d : store.claimDue(settings.nodeId(), now, leaseUntil, limit)) {
                    buffer.addLast(new Buffered(d, leaseUntil));
                }
            }
            return startPosts();
        }
    }

    /** @return how many buffered deliveries wait only for a thread (their subscription is below its share) */
    private int startable() {
        int n = 0;
        for (Buffered b : buffer) {
            if (postingBySubscription.getOrDefault(b.delivery().subscription(), 0) < settings.perSubscription()) {
                n++;
            }
        }
        return n;
    }

    private void dropStale(Instant now) {
        for (Iterator<Buffered> it = buffer.iterator(); it.hasNext(); ) {
            Buffered b = it.next();
            if (b.leaseUntil().minus(settings.timeout()).isBefore(now)) {
                it.remove();
                log.debug("Webhook delivery {} to subscription '{}' left unposted: its lease ends before a post "
                        + "could; it is claimed again after {}", b.delivery().id(), b.delivery().subscription(),
                        b.leaseUntil());
            }
        }
    }

    private List<CompletableFuture<DispatchResult>> startPosts() {
        List<CompletableFuture<DispatchResult>> results = new ArrayList<>();
        for (Iterator<Buffered> it = buffer.iterator(); it.hasNext() && posting < settings.concurrency(); ) {
            WebhookDelivery d = it.next().delivery();
            String s = d.subscription();
            if (postingBySubscription.getOrDefault(s, 0) >= settings.perSubscription()) {
                continue; // its share is in flight; others go first
            }
            it.remove();
            CompletableFuture<DispatchResult> f;
            try {
                f = CompletableFuture.supplyAsync(() -> attempt(d), pool);
            } catch (RejectedExecutionException closed) {
                continue; // closed: the lease runs out and another node (or a restart) takes it
            }
            posting++;
            postingBySubscription.merge(s, 1, Integer::sum);
            results.add(f.whenComplete((r, e) -> {
                synchronized (lock) {
                    posting--;
                    postingBySubscription.computeIfPresent(s, (k, v) -> v > 1 ? v - 1 : null);
                }
                wakeUp(); // a thread is free, and the queue's next delivery may be due now
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

    /** Stops the loop and the pool, drops the buffered deliveries and waits up to the lease for posts under way. */
    @Override
    public void close() {
        stop();
        synchronized (lock) {
            buffer.clear();
        }
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
