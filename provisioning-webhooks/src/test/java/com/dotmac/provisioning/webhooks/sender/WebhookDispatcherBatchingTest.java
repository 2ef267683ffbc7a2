package com.dotmac.provisioning.webhooks.sender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dotmac.provisioning.events.ProvisioningEvent;
import com.dotmac.provisioning.testkit.MutableClock;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher's claims in batches and each subscription's share of the posting pool, stepped with
 * {@link WebhookDispatcher#dispatchOnce()} on a hand-moved clock against real HTTP receivers (MockWebServer): how
 * many claims a backlog over many queues takes, a buffered delivery that would outlive its lease, and a receiver that
 * hangs with heads in many queues while another subscription's event goes through.
 */
class WebhookDispatcherBatchingTest {
    private final MutableClock clock = MutableClock.atFixedStart();
    private final CountingDeliveryStore store = new CountingDeliveryStore();
    private final List<MockWebServer> servers = new ArrayList<>();
    private final List<Webhooks> webhooks = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private MockWebServer receiver;

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = server(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder().code(204).build();
            }
        });
    }

    @AfterEach
    void stop() {
        release.countDown();
        webhooks.forEach(Webhooks::close);
        servers.forEach(MockWebServer::close);
    }

    private MockWebServer server(Dispatcher dispatcher) throws IOException {
        MockWebServer s = new MockWebServer();
        s.setDispatcher(dispatcher);
        s.start();
        servers.add(s);
        return s;
    }

    private static WebhookSubscription subscription(String name, MockWebServer server, String eventType) {
        return WebhookSubscription.builder(name).url(server.url("/hooks").toString())
                .secret(WebhookSubscriptionTest.SECRET).eventTypes(eventType).build();
    }

    private Webhooks add(Webhooks w) {
        webhooks.add(w);
        return w;
    }

    private static List<DispatchResult> step(Webhooks w) {
        return w.dispatcher().dispatchOnce().stream().map(CompletableFuture::join).toList();
    }

    private static ProvisioningEvent event(String id, String type, String tenant) {
        return new ProvisioningEvent(id, type, tenant, "job-" + tenant, null, Instant.parse("2026-01-01T00:00:00Z"),
                Map.of());
    }

    @Test
    void aBacklogOverManyQueuesIsClaimedInBatchesNotOneClaimPerFreeThread() {
        int tenants = 100;
        int perTenant = 3;
        Webhooks w = add(Webhooks.builder().store(store).clock(clock).nodeId("node-1")
                .timeout(Duration.ofSeconds(5)).subscription(subscription("billing", receiver, "job.*")).build());
        for (int round = 0; round < perTenant; round++) {
            for (int t = 0; t < tenants; t++) {
                w.eventConsumer().accept(event("e-" + t + "-" + round, "job.succeeded", "tenant-" + t));
            }
        }
        int events = tenants * perTenant;

        int delivered = 0;
        for (int step = 0; step < 1_000 && store.countPending() > 0; step++) {
            for (CompletableFuture<DispatchResult> f : w.dispatcher().dispatchOnce()) {
                assertThat(f.join().status()).isEqualTo(DispatchResult.Status.DELIVERED);
                delivered++;
            }
        }

        assertThat(delivered).isEqualTo(events);
        assertThat(receiver.getRequestCount()).isEqualTo(events);
        assertThat(store.claims.get()).as("claims for %d events over %d queues, batch %d", events, tenants,
                Webhooks.DEFAULT_CLAIM_BATCH).isLessThanOrEqualTo(events / Webhooks.DEFAULT_CLAIM_BATCH + 3);
    }

    @Test
    void aBufferedDeliveryWhosePostCouldOutliveItsLeaseIsDroppedUnpostedAndClaimedAgainAfterTheLease() {
        Duration timeout = Duration.ofSeconds(2);
        Webhooks w = add(Webhooks.builder().store(store).clock(clock).nodeId("node-1").timeout(timeout)
                .concurrency(1).claimBatch(4).subscription(subscription("billing", receiver, "job.*")).build());
        Duration lease = w.dispatcher().lease();
        assertThat(lease).as("timeout x (1 + batch / concurrency) + 30 s").isEqualTo(Duration.ofSeconds(2 * 5 + 30));
        for (int t = 0; t < 3; t++) {
            w.eventConsumer().accept(event("e-" + t, "job.succeeded", "tenant-" + t));
        }

        assertThat(step(w)).singleElement().satisfies(r -> assertThat(r.delivery().event().id()).isEqualTo("e-0"));
        assertThat(store.claims.get()).as("one claim took all three heads").isEqualTo(1);
        clock.advance(lease.minus(timeout));
        assertThat(step(w)).as("a post that can still end within the lease").singleElement()
                .satisfies(r -> assertThat(r.delivery().event().id()).isEqualTo("e-1"));
        clock.advance(Duration.ofMillis(1));
        assertThat(step(w)).as("e-2's post could outlive its lease: dropped, and still leased in the store")
                .isEmpty();
        assertThat(receiver.getRequestCount()).isEqualTo(2);
        assertThat(store.countPending()).isEqualTo(1);

        clock.advance(timeout);
        assertThat(step(w)).as("claimed again once the lease ran out, no attempt counted").singleElement()
                .satisfies(r -> {
                    assertThat(r.delivery().event().id()).isEqualTo("e-2");
                    assertThat(r.delivery().attempts()).isZero();
                    assertThat(r.status()).isEqualTo(DispatchResult.Status.DELIVERED);
                });
        assertThat(store.countPending()).isZero();
    }

    @Test
    void aClaimBatchBelowOneIsRefused() {
        assertThatThrownBy(() -> Webhooks.builder().claimBatch(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("claimBatch: must be at least 1, was 0");
    }

    @Test
    void aReceiverThatHangsWithHeadsInManyQueuesLeavesRoomForAnotherSubscription() throws Exception {
        MockWebServer hanging = server(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                release.await(20, TimeUnit.SECONDS);
                return new MockResponse.Builder().code(204).build();
            }
        });
        Webhooks w = add(Webhooks.builder().store(store).clock(clock).nodeId("node-1")
                .timeout(Duration.ofSeconds(15))
                .subscription(subscription("slow", hanging, "job.succeeded"))
                .subscription(subscription("fast", receiver, "job.failed")).build());
        for (int t = 0; t < 10; t++) {
            w.eventConsumer().accept(event("s-" + t, "job.succeeded", "tenant-" + t));
        }
        w.eventConsumer().accept(event("f-1", "job.failed", "tenant-0"));

        List<CompletableFuture<DispatchResult>> posts = w.dispatcher().dispatchOnce();

        DispatchResult first = CompletableFuture.anyOf(posts.toArray(CompletableFuture[]::new))
                .thenApply(DispatchResult.class::cast).get(10, TimeUnit.SECONDS);
        assertThat(first.delivery().subscription()).as("the fast subscription's post went while the slow one hangs")
                .isEqualTo("fast");
        assertThat(first.status()).isEqualTo(DispatchResult.Status.DELIVERED);
        assertThat(posts).as("the slow subscription's posts still hang").filteredOn(f -> !f.isDone()).isNotEmpty();
        assertThat(posts).as("the slow subscription's posts in flight: its share of the pool of 4")
                .filteredOn(f -> !f.isDone()).hasSize(3);

        release.countDown();
        for (CompletableFuture<DispatchResult> f : posts) {
            assertThat(f.get(10, TimeUnit.SECONDS).status()).isEqualTo(DispatchResult.Status.DELIVERED);
        }
    }
}
