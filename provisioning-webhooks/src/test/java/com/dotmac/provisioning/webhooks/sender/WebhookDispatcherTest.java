package com.dotmac.provisioning.webhooks.sender;

import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.events.ProvisioningEvent;
import com.dotmac.provisioning.memory.InMemoryWebhookDeliveryStore;
import com.dotmac.provisioning.retry.Backoff;
import com.dotmac.provisioning.testkit.MutableClock;
import com.dotmac.provisioning.webhooks.WebhookDelivery;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher against real HTTP receivers (MockWebServer), stepped with {@link WebhookDispatcher#dispatchOnce()}
 * on a hand-moved clock: retries with the back-off and {@code Retry-After}, timeouts, dead letters and redelivery,
 * order per tenant, and a slow receiver that holds up no other subscription.
 */
class WebhookDispatcherTest {
    private static final Backoff BACKOFF = Backoff.builder().initialDelay(Duration.ofSeconds(10))
            .maxDelay(Duration.ofMinutes(5)).multiplier(2).jitter(0).build();

    private final MutableClock clock = MutableClock.atFixedStart();
    private final InMemoryWebhookDeliveryStore store = new InMemoryWebhookDeliveryStore();
    private final List<MockWebServer> servers = new ArrayList<>();
    private final List<Webhooks> webhooks = new ArrayList<>();
    private MockWebServer receiver;

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = server();
    }

    @AfterEach
    void stop() {
        webhooks.forEach(Webhooks::close);
        servers.forEach(MockWebServer::close);
    }

    private MockWebServer server() throws IOException {
        MockWebServer s = new MockWebServer();
        s.start();
        servers.add(s);
        return s;
    }

    private static WebhookSubscription subscription(String name, MockWebServer server,
            Consumer<WebhookSubscription.Builder> more) {
        WebhookSubscription.Builder b = WebhookSubscription.builder(name).url(server.url("/hooks").toString())
                .secret(WebhookSubscriptionTest.SECRET);
        more.accept(b);
        return b.build();
    }

    private Webhooks webhooks(int maxAttempts, WebhookSubscription... subscriptions) {
        Webhooks w = Webhooks.builder().subscriptions(List.of(subscriptions)).store(store).clock(clock)
                .backoff(BACKOFF).maxAttempts(maxAttempts).timeout(Duration.ofMillis(400)).nodeId("node-1").build();
        webhooks.add(w);
        return w;
    }

    private static ProvisioningEvent event(String id, String type, String tenant) {
        return new ProvisioningEvent(id, type, tenant, "job-" + tenant, null, Instant.parse("2026-01-01T00:00:00Z"),
                Map.of("to", type.substring(4)));
    }

    private static List<DispatchResult> step(Webhooks w) {
        return w.dispatcher().dispatchOnce().stream().map(CompletableFuture::join).toList();
    }

    private static MockResponse status(int code) {
        return new MockResponse.Builder().code(code).build();
    }

    private static RecordedRequest take(MockWebServer server) throws InterruptedException {
        RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(r).as("a request reached the receiver").isNotNull();
        return r;
    }

    @Test
    void aReceiverThatFailsThenTimesOutThenRecoversGetsTheEventWithTheBackOffRespected() throws Exception {
        Webhooks w = webhooks(8, subscription("billing", receiver, b -> { }));
        receiver.enqueue(status(500));
        receiver.enqueue(new MockResponse.Builder().code(200).headersDelay(1500, TimeUnit.MILLISECONDS).build());
        receiver.enqueue(status(204));
        w.eventConsumer().accept(event("e-1", "job.succeeded", "acme"));
        Instant t0 = clock.instant();

        DispatchResult first = step(w).get(0);
        assertThat(first.status()).isEqualTo(DispatchResult.Status.RETRY_LATER);
        assertThat(first.error()).isEqualTo("HTTP 500");
        assertThat(first.retryAt()).isEqualTo(t0.plusSeconds(10));

        clock.advance(Duration.ofSeconds(10).minusMillis(1));
        assertThat(step(w)).as("not before the back-off").isEmpty();
        clock.advance(Duration.ofMillis(1));
        DispatchResult second = step(w).get(0);
        assertThat(second.delivery().attempts()).isEqualTo(1);
        assertThat(second.status()).isEqualTo(DispatchResult.Status.RETRY_LATER);
        assertThat(second.error()).isEqualTo("timeout");
        assertThat(second.retryAt()).as("the second back-off, twice the first").isEqualTo(clock.instant()
                .plusSeconds(20));

        clock.advance(Duration.ofSeconds(20));
        DispatchResult third = step(w).get(0);
        assertThat(third.status()).isEqualTo(DispatchResult.Status.DELIVERED);
        assertThat(third.delivery().attempts()).as("two failed attempts before").isEqualTo(2);
        assertThat(store.countPending()).isZero();

        List<RecordedRequest> requests = List.of(take(receiver), take(receiver), take(receiver));
        assertThat(requests).extracting(r -> r.getHeaders().get("Webhook-Id")).containsOnly("e-1");
        RecordedRequest last = requests.get(2);
        String body = last.getBody().utf8();
        assertThat(last.getHeaders().get("Content-Type")).isEqualTo("application/cloudevents+json");
        assertThat(last.getHeaders().get("Webhook-Timestamp"))
                .isEqualTo(Long.toString(clock.instant().getEpochSecond()));
        assertThat(last.getHeaders().get("Webhook-Signature")).isEqualTo(CloudEventsAndSignatureTest.recipe(
                WebhookSubscriptionTest.SECRET.getBytes(StandardCharsets.UTF_8),
                last.getHeaders().get("Webhook-Timestamp"), body));
        assertThat(body).contains("\"type\":\"com.dotmac.provisioning.job.succeeded\"")
                .doesNotContain(WebhookSubscriptionTest.SECRET);
    }

    @Test
    void a429WithRetryAfterIsRetriedThenAndRetryAfterIsCappedAtTheBackOffsMaximum() {
        Webhooks w = webhooks(8, subscription("billing", receiver, b -> { }));
        receiver.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "30").build());
        receiver.enqueue(new MockResponse.Builder().code(503).addHeader("Retry-After", "86400").build());
        receiver.enqueue(status(200));
        w.eventConsumer().accept(event("e-1", "job.failed", "acme"));

        DispatchResult first = step(w).get(0);
        assertThat(first.error()).isEqualTo("HTTP 429");
        assertThat(first.retryAt()).isEqualTo(clock.instant().plusSeconds(30));
        clock.advance(Duration.ofSeconds(30));
        DispatchResult second = step(w).get(0);
        assertThat(second.error()).isEqualTo("HTTP 503");
        assertThat(second.retryAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(5)));
        clock.advance(Duration.ofMinutes(5));
        assertThat(step(w).get(0).status()).isEqualTo(DispatchResult.Status.DELIVERED);
    }

    @Test
    void aReceiverThatNeverRecoversMakesADeadLetterThatIsRedeliveredAtItsPlace() throws Exception {
        Webhooks w = webhooks(3, subscription("billing", receiver, b -> { }));
        for (int i = 0; i < 3; i++) {
            receiver.enqueue(status(503));
        }
        receiver.enqueue(status(200));
        receiver.enqueue(status(200));
        w.eventConsumer().accept(event("e-1", "job.succeeded", "acme"));
        w.eventConsumer().accept(event("e-2", "job.failed", "acme"));

        assertThat(step(w).get(0).status()).isEqualTo(DispatchResult.Status.RETRY_LATER);
        clock.advance(Duration.ofSeconds(10));
        assertThat(step(w).get(0).status()).isEqualTo(DispatchResult.Status.RETRY_LATER);
        clock.advance(Duration.ofSeconds(20));
        DispatchResult third = step(w).get(0);
        assertThat(third.status()).isEqualTo(DispatchResult.Status.DEAD_LETTER);
        assertThat(third.delivery().event().id()).isEqualTo("e-1");

        List<WebhookDelivery> dead = w.deadLetters("billing", 0, 10);
        assertThat(dead).singleElement().satisfies(d -> {
            assertThat(d.attempts()).isEqualTo(3);
            assertThat(d.lastError()).isEqualTo("HTTP 503");
            assertThat(d.event().id()).isEqualTo("e-1");
        });
        DispatchResult next = step(w).get(0);
        assertThat(next.delivery().event().id()).as("the dead letter left its queue").isEqualTo("e-2");
        assertThat(next.status()).isEqualTo(DispatchResult.Status.DELIVERED);

        assertThat(w.redeliver(dead.get(0).id())).hasValueSatisfying(d -> assertThat(d.attempts()).isZero());
        assertThat(w.redeliver("unknown")).isEmpty();
        DispatchResult again = step(w).get(0);
        assertThat(again.status()).isEqualTo(DispatchResult.Status.DELIVERED);
        assertThat(again.delivery().event().id()).isEqualTo("e-1");
        assertThat(store.countDeadLetters(null)).isZero();
        assertThat(store.countPending()).isZero();
    }

    @Test
    void aReceiverThatRefusesThePayloadMakesADeadLetterAtOnce() {
        Webhooks w = webhooks(8, subscription("billing", receiver, b -> { }));
        receiver.enqueue(status(400));
        w.eventConsumer().accept(event("e-1", "job.succeeded", "acme"));

        DispatchResult r = step(w).get(0);
        assertThat(r.status()).isEqualTo(DispatchResult.Status.DEAD_LETTER);
        assertThat(store.deadLetters(null, 0, 10)).singleElement()
                .satisfies(d -> assertThat(d.lastError()).isEqualTo("HTTP 400"));
    }

    @Test
    void aConnectionRefusedIsRetried() throws IOException {
        MockWebServer gone = server();
        WebhookSubscription s = subscription("billing", gone, b -> { });
        gone.close();
        Webhooks w = webhooks(8, s);
        w.eventConsumer().accept(event("e-1", "job.succeeded", "acme"));

        DispatchResult r = step(w).get(0);
        assertThat(r.status()).isEqualTo(DispatchResult.Status.RETRY_LATER);
        assertThat(r.error()).isEqualTo("connection refused");
    }

    @Test
    void aSlowReceiverDoesNotDelayAnotherSubscriptionsDelivery() throws Exception {
        MockWebServer slow = server();
        CountDownLatch release = new CountDownLatch(1);
        slow.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                release.await(10, TimeUnit.SECONDS);
                return status(200);
            }
        });
        receiver.enqueue(status(200));
        Webhooks w = Webhooks.builder().store(store).clock(clock).backoff(BACKOFF).nodeId("node-1")
                .subscription(subscription("slow", slow, b -> { }))
                .subscription(subscription("fast", receiver, b -> { })).build();
        webhooks.add(w);
        w.eventConsumer().accept(event("e-1", "job.succeeded", "acme"));

        List<CompletableFuture<DispatchResult>> posts = w.dispatcher().dispatchOnce();
        assertThat(posts).hasSize(2);
        CompletableFuture<DispatchResult> slowPost = posts.get(0);
        DispatchResult fast = CompletableFuture.anyOf(posts.toArray(CompletableFuture[]::new))
                .thenApply(DispatchResult.class::cast).get(5, TimeUnit.SECONDS);
        assertThat(fast.delivery().subscription()).as("the fast receiver answered first").isEqualTo("fast");
        assertThat(fast.status()).isEqualTo(DispatchResult.Status.DELIVERED);
        CompletableFuture<DispatchResult> slowOne = posts.stream()
                .filter(f -> !f.isDone()).findFirst().orElseThrow();
        assertThat(slowPost).isNotNull();

        release.countDown();
        assertThat(slowOne.get(5, TimeUnit.SECONDS).status()).isEqualTo(DispatchResult.Status.DELIVERED);
    }

    @Test
    void orderIsKeptPerTenantWhileOtherTenantsGoOn() throws Exception {
        Webhooks w = webhooks(8, subscription("billing", receiver, b -> { }));
        receiver.setDispatcher(new Dispatcher() {
            private boolean failedOnce;

            @Override
            public synchronized MockResponse dispatch(RecordedRequest request) {
                if (!failedOnce && "a-1".equals(request.getHeaders().get("Webhook-Id"))) {
                    failedOnce = true;
                    return status(500);
                }
                return status(200);
            }
        });
        w.eventConsumer().accept(event("a-1", "job.queued", "acme"));
        w.eventConsumer().accept(event("a-2", "job.in_progress", "acme"));
        w.eventConsumer().accept(event("g-1", "job.queued", "globex"));
        w.eventConsumer().accept(event("a-3", "job.succeeded", "acme"));

        List<String> delivered = new ArrayList<>();
        for (int i = 0; i < 10 && store.countPending() > 0; i++) {
            for (DispatchResult r : step(w)) {
                if (r.status() == DispatchResult.Status.DELIVERED) {
                    delivered.add(r.delivery().event().id());
                }
            }
            clock.advance(Duration.ofSeconds(10));
        }

        assertThat(delivered.indexOf("g-1")).as("globex is not held by acme's failure").isZero();
        assertThat(delivered.stream().filter(id -> id.startsWith("a-"))).containsExactly("a-1", "a-2", "a-3");
        List<String> received = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            received.add(take(receiver).getHeaders().get("Webhook-Id"));
        }
        assertThat(received.stream().filter(id -> id.startsWith("a-"))).containsExactly("a-1", "a-1", "a-2", "a-3");
    }

    @Test
    void theConsumerQueuesAnEventOnlyForTheSubscriptionsItMatches() {
        Webhooks w = webhooks(8,
                subscription("all", receiver, b -> { }),
                subscription("acme-jobs", receiver, b -> b.tenants("acme").eventTypes("job.*")),
                subscription("ends", receiver, b -> b.eventTypes("job.succeeded", "rollout.completed")));
        w.eventConsumer().accept(event("e-1", "job.queued", "acme"));
        w.eventConsumer().accept(event("e-2", "job.succeeded", "globex"));
        w.eventConsumer().accept(new ProvisioningEvent("r-1", "rollout.completed", null, null, "ro-1",
                Instant.EPOCH, Map.of()));

        List<String> queued = store.claimDue("probe", clock.instant(), clock.instant().plusSeconds(60), 100).stream()
                .map(d -> d.subscription() + ":" + d.event().id()).toList();
        assertThat(queued).containsExactlyInAnyOrder("all:e-1", "acme-jobs:e-1", "all:e-2", "ends:e-2", "all:r-1",
                "ends:r-1");
    }
}
