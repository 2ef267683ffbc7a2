package com.dotmac.provisioning.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.events.ProvisioningEvent;
import com.dotmac.provisioning.spi.WebhookDeliveryStore;
import com.dotmac.provisioning.webhooks.WebhookDelivery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link WebhookDeliveryStore} must have: a store's test extends this class and returns, from
 * {@link #createStore()}, a store over an empty database (or memory); every test here must pass. It covers each
 * promise of the port's Javadoc: one delivery per subscription, enqueued once per (subscription, event id) while it
 * is queued; only the heads of the (subscription, order key) queues are claimed, oldest first, and a slow queue never
 * holds another; leases and version-checked writes; retries, dead letters (listed, counted, redelivered at their old
 * place) and the pending count.
 *
 * <p>Every time is passed in, from {@link #T0} on, so the tests need no clock and never wait.
 *
 * <p>Not thread-safe: JUnit makes one instance per test and calls it from one thread (the concurrency test starts
 * its own threads).
 */
public abstract class WebhookDeliveryStoreContract {
    /** A fixed start time for every test. */
    protected static final Instant T0 = Instant.parse("2026-03-01T12:00:00.123Z");

    private static final Instant LEASE = T0.plusSeconds(30);

    /** The store under test, fresh for every test. */
    protected WebhookDeliveryStore store;

    /**
     * @return a store over an empty database (or memory)
     * @throws Exception when it cannot be set up
     */
    protected abstract WebhookDeliveryStore createStore() throws Exception;

    /** @throws Exception when the store cannot be set up */
    @BeforeEach
    protected void setUpStore() throws Exception {
        store = createStore();
    }

    // ---- fixtures -------------------------------------------------------------------------------------------------

    /**
     * @param tenantId the tenant (the event's order key)
     * @param type the event's type
     * @return a job event with a new id, at {@link #T0}, with nested data
     */
    protected static ProvisioningEvent event(String tenantId, String type) {
        return new ProvisioningEvent(UUID.randomUUID().toString(), type, tenantId, UUID.randomUUID().toString(),
                null, T0, Map.of("operation", "provision", "to", type.substring(type.indexOf('.') + 1),
                        "details", Map.of("run_id", 42, "hosts", List.of("a", "b"))));
    }

    private List<WebhookDelivery> claim(Instant now) {
        return store.claimDue("node-a", now, now.plusSeconds(30), 100);
    }

    private static List<String> described(List<WebhookDelivery> deliveries) {
        return deliveries.stream().map(d -> d.subscription() + ":" + d.event().orderKey() + ":" + d.event().type())
                .toList();
    }

    /** Claims and delivers every head, queue after queue, until nothing is due at {@code now}. */
    private List<String> drain(Instant now) {
        List<String> out = new ArrayList<>();
        for (int round = 0; round < 50; round++) {
            List<WebhookDelivery> claimed = claim(now);
            if (claimed.isEmpty()) {
                return out;
            }
            for (WebhookDelivery d : claimed) {
                out.add(d.subscription() + ":" + d.event().orderKey() + ":" + d.event().type());
                assertThat(store.delivered(d)).isTrue();
            }
        }
        throw new AssertionError("the store never emptied");
    }

    /** Enqueues an event for one subscription, claims it and makes it a dead letter; returns the dead letter. */
    private WebhookDelivery killed(ProvisioningEvent e, String subscription, Instant at) {
        store.enqueue(e, List.of(subscription), at);
        WebhookDelivery claimed = claim(at).stream().filter(d -> d.event().id().equals(e.id())).findFirst()
                .orElseThrow(() -> new AssertionError("not claimed: " + e.type()));
        assertThat(store.deadLetter(claimed, "HTTP 500", at)).isTrue();
        return claimed;
    }

    // ---- enqueue ----------------------------------------------------------------------------------------------------

    @Test
    void anEventIsEnqueuedOncePerSubscriptionAndNotAtAllForNone() {
        ProvisioningEvent e = event("tenant-a", "job.queued");
        store.enqueue(event("tenant-a", "job.failed"), List.of(), T0);
        assertThat(store.countPending()).isZero();

        store.enqueue(e, List.of("billing", "crm"), T0);

        assertThat(store.countPending()).isEqualTo(2);
        List<WebhookDelivery> claimed = claim(T0);
        assertThat(claimed).extracting(WebhookDelivery::subscription).containsExactly("billing", "crm");
        assertThat(claimed).allSatisfy(d -> {
            assertThat(d.event()).isEqualTo(e);
            assertThat(d.attempts()).isZero();
            assertThat(d.lastError()).isNull();
            assertThat(d.dead()).isFalse();
            assertThat(d.nextAttemptAt()).isEqualTo(T0);
        });
        assertThat(claimed.get(0).id()).isNotEqualTo(claimed.get(1).id());
        assertThat(UUID.fromString(claimed.get(0).id())).isNotNull();
        assertThat(claimed.get(0).sequence()).isLessThan(claimed.get(1).sequence());
        assertThat(store.countDeadLetters(null)).isZero();
    }

    @Test
    void anEventIsKeptWhole() {
        ProvisioningEvent rollout = new ProvisioningEvent(UUID.randomUUID().toString(), "rollout.paused", null, null,
                "r-1", T0.plusMillis(5), Map.of("from", "running", "to", "paused", "message", "paused by ålice ✓",
                        "details", Map.of("by", "alice", "n", 3, "ok", true, "none", List.of())));
        store.enqueue(rollout, List.of("ops"), T0);

        WebhookDelivery d = claim(T0).get(0);
        assertThat(d.event()).isEqualTo(rollout);
        assertThat(d.event().orderKey()).isEqualTo("rollout:r-1");
    }

    @Test
    void aQueuedEventIsNotEnqueuedAgainWhetherPendingOrDead() {
        ProvisioningEvent e = event("tenant-a", "job.queued");
        store.enqueue(e, List.of("billing"), T0);
        store.enqueue(e, List.of("billing", "crm"), T0.plusSeconds(1));
        assertThat(store.countPending()).as("pending: billing once, crm new").isEqualTo(2);

        WebhookDelivery crm = claim(T0.plusSeconds(1)).stream().filter(d -> d.subscription().equals("crm"))
                .findFirst().orElseThrow();
        assertThat(store.deadLetter(crm, "HTTP 410", T0.plusSeconds(2))).isTrue();
        store.enqueue(e, List.of("billing", "crm"), T0.plusSeconds(3));

        assertThat(store.countPending()).isEqualTo(1);
        assertThat(store.countDeadLetters(null)).isEqualTo(1);
    }

    // ---- heads and queues -------------------------------------------------------------------------------------------

    @Test
    void onlyTheHeadOfEachQueueIsClaimedOldestFirstAndTheNextWaitsForIt() {
        store.enqueue(event("tenant-a", "job.queued"), List.of("billing", "crm"), T0);
        store.enqueue(event("tenant-b", "job.queued"), List.of("billing"), T0);
        store.enqueue(event("tenant-a", "job.in_progress"), List.of("billing", "crm"), T0);
        store.enqueue(event("tenant-a", "job.succeeded"), List.of("billing"), T0);

        List<WebhookDelivery> heads = claim(T0);
        assertThat(described(heads)).as("one per (subscription, order key), oldest first").containsExactly(
                "billing:tenant-a:job.queued", "crm:tenant-a:job.queued", "billing:tenant-b:job.queued");
        assertThat(claim(T0)).as("a queue's next waits for its head").isEmpty();
        heads.forEach(d -> assertThat(store.delivered(d)).isTrue());

        assertThat(drain(T0)).containsExactly("billing:tenant-a:job.in_progress", "crm:tenant-a:job.in_progress",
                "billing:tenant-a:job.succeeded");
        assertThat(store.countPending()).isZero();
    }

    @Test
    void aClaimTakesAtMostItsLimitOldestFirst() {
        for (int i = 0; i < 5; i++) {
            store.enqueue(event("tenant-" + i, "job.queued"), List.of("billing"), T0);
        }
        assertThat(store.claimDue("node-a", T0, LEASE, 0)).isEmpty();

        List<WebhookDelivery> first = store.claimDue("node-a", T0, LEASE, 2);
        assertThat(first).extracting(d -> d.event().tenantId()).containsExactly("tenant-0", "tenant-1");
        assertThat(store.claimDue("node-b", T0, LEASE, 100)).extracting(d -> d.event().tenantId())
                .containsExactly("tenant-2", "tenant-3", "tenant-4");
    }

    @Test
    void aQueueWaitingForItsRetryHoldsNeitherAnotherSubscriptionNorAnotherTenant() {
        ProvisioningEvent a1 = event("tenant-a", "job.queued");
        store.enqueue(a1, List.of("slow", "fast"), T0);
        store.enqueue(event("tenant-b", "job.queued"), List.of("slow"), T0);
        store.enqueue(event("tenant-a", "job.in_progress"), List.of("slow", "fast"), T0);
        WebhookDelivery slowHead = store.claimDue("node-a", T0, LEASE, 1).get(0);
        assertThat(described(List.of(slowHead))).containsExactly("slow:tenant-a:job.queued");
        assertThat(store.retryLater(slowHead, T0.plusSeconds(600), "timeout")).isTrue();

        assertThat(drain(T0.plusSeconds(1))).containsExactly("fast:tenant-a:job.queued",
                "slow:tenant-b:job.queued", "fast:tenant-a:job.in_progress");
        assertThat(store.countPending()).as("the slow queue's head and the one behind it").isEqualTo(2);
    }

    @Test
    void aLeasedHeadHoldsOnlyItsOwnQueue() {
        store.enqueue(event("tenant-a", "job.queued"), List.of("slow"), T0);
        List<WebhookDelivery> leased = store.claimDue("node-a", T0, T0.plusSeconds(600), 100);
        assertThat(leased).hasSize(1);
        store.enqueue(event("tenant-a", "job.in_progress"), List.of("slow", "fast"), T0.plusSeconds(1));
        store.enqueue(event("tenant-b", "job.queued"), List.of("slow"), T0.plusSeconds(1));

        assertThat(described(claim(T0.plusSeconds(2)))).containsExactly("fast:tenant-a:job.in_progress",
                "slow:tenant-b:job.queued");
    }

    // ---- leases and versions ----------------------------------------------------------------------------------------

    @Test
    void aClaimedDeliveryIsNobodyElsesUntilItsLeaseRunsOutThenItIsTakenOverWithANewVersion() {
        store.enqueue(event("tenant-a", "job.queued"), List.of("billing"), T0);
        WebhookDelivery mine = store.claimDue("node-a", T0, LEASE, 100).get(0);

        assertThat(store.claimDue("node-b", LEASE.minusMillis(1), LEASE.plusSeconds(30), 100)).isEmpty();
        List<WebhookDelivery> taken = store.claimDue("node-b", LEASE, LEASE.plusSeconds(30), 100);
        assertThat(taken).hasSize(1);
        WebhookDelivery theirs = taken.get(0);
        assertThat(theirs.id()).as("the same delivery").isEqualTo(mine.id());
        assertThat(theirs.event()).isEqualTo(mine.event());
        assertThat(theirs.version()).as("a new version").isNotEqualTo(mine.version());

        assertThat(store.delivered(mine)).as("the first claim's writes are refused").isFalse();
        assertThat(store.retryLater(mine, T0, "timeout")).isFalse();
        assertThat(store.deadLetter(mine, "HTTP 500", T0)).isFalse();
        assertThat(store.countPending()).isEqualTo(1);
        assertThat(store.countDeadLetters(null)).isZero();

        assertThat(store.delivered(theirs)).isTrue();
        assertThat(store.delivered(theirs)).as("gone").isFalse();
        assertThat(store.countPending()).isZero();
    }

    @Test
    void aStaleClaimWritesNothingAfterARetryOrADeadLetter() {
        store.enqueue(event("tenant-a", "job.queued"), List.of("billing"), T0);
        WebhookDelivery claimed = claim(T0).get(0);
        assertThat(store.retryLater(claimed, T0.plusSeconds(5), "HTTP 503")).isTrue();

        assertThat(store.retryLater(claimed, T0.plusSeconds(99), "again")).isFalse();
        assertThat(store.deadLetter(claimed, "again", T0)).isFalse();
        assertThat(store.delivered(claimed)).isFalse();
        WebhookDelivery again = claim(T0.plusSeconds(5)).get(0);
        assertThat(again.attempts()).isEqualTo(1);
        assertThat(again.lastError()).isEqualTo("HTTP 503");

        assertThat(store.deadLetter(again, "HTTP 500", T0.plusSeconds(6))).isTrue();
        assertThat(store.delivered(again)).as("a dead letter is not delivered by its old claim").isFalse();
        assertThat(store.retryLater(again, T0, "x")).isFalse();
        assertThat(store.deadLetter(again, "x", T0)).isFalse();
        assertThat(store.deadLetters(null, 0, 10)).singleElement().satisfies(d -> {
            assertThat(d.attempts()).isEqualTo(2);
            assertThat(d.lastError()).isEqualTo("HTTP 500");
        });
    }

    @Test
    void concurrentClaimsNeverHandOneDeliveryToTwoClaimers() throws Exception {
        int queues = 60;
        for (int i = 0; i < queues; i++) {
            store.enqueue(event("tenant-" + i, "job.queued"), List.of("billing"), T0);
        }
        int claimers = 6;
        ExecutorService pool = Executors.newFixedThreadPool(claimers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<WebhookDelivery>>> claims = new ArrayList<>();
            for (int n = 0; n < claimers; n++) {
                String owner = "node-" + n;
                Callable<List<WebhookDelivery>> claim = () -> {
                    start.await(10, TimeUnit.SECONDS);
                    return store.claimDue(owner, T0, LEASE, 15);
                };
                claims.add(pool.submit(claim));
            }
            start.countDown();
            List<String> ids = new ArrayList<>();
            for (Future<List<WebhookDelivery>> f : claims) {
                f.get(60, TimeUnit.SECONDS).forEach(d -> ids.add(d.id()));
            }
            assertThat(new HashSet<>(ids)).as("no delivery twice").hasSameSizeAs(ids);
            List<WebhookDelivery> rest = store.claimDue("node-x", T0, LEASE, 100);
            assertThat(ids.size() + rest.size()).as("every delivery claimed once").isEqualTo(queues);
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- retries ----------------------------------------------------------------------------------------------------

    @Test
    void aRetryCountsTheAttemptKeepsTheErrorAndIsDueAtItsTime() {
        store.enqueue(event("tenant-a", "job.queued"), List.of("billing"), T0);
        Instant retryAt = T0.plusSeconds(10);
        assertThat(store.retryLater(claim(T0).get(0), retryAt, "HTTP 503")).isTrue();

        assertThat(claim(retryAt.minusMillis(1))).as("not due yet, and the lease was released").isEmpty();
        WebhookDelivery second = store.claimDue("node-b", retryAt, retryAt.plusSeconds(30), 100).get(0);
        assertThat(second.attempts()).isEqualTo(1);
        assertThat(second.lastError()).isEqualTo("HTTP 503");
        assertThat(second.nextAttemptAt()).isEqualTo(retryAt);

        Instant thirdAt = retryAt.plusSeconds(20);
        assertThat(store.retryLater(second, thirdAt, "timeout")).isTrue();
        WebhookDelivery third = claim(thirdAt).get(0);
        assertThat(third.attempts()).isEqualTo(2);
        assertThat(third.lastError()).isEqualTo("timeout");
        assertThat(store.countPending()).isEqualTo(1);
    }

    // ---- dead letters -----------------------------------------------------------------------------------------------

    @Test
    void aDeadLetterLeavesItsQueueSoTheNextBecomesTheHead() {
        ProvisioningEvent first = event("tenant-a", "job.queued");
        store.enqueue(first, List.of("billing"), T0);
        store.enqueue(event("tenant-a", "job.in_progress"), List.of("billing"), T0);
        WebhookDelivery head = claim(T0).get(0);
        Instant died = T0.plusSeconds(3);

        assertThat(store.deadLetter(head, "HTTP 500", died)).isTrue();

        List<WebhookDelivery> next = claim(died);
        assertThat(described(next)).containsExactly("billing:tenant-a:job.in_progress");
        assertThat(store.countPending()).isEqualTo(1);
        assertThat(store.delivered(next.get(0))).isTrue();
        assertThat(store.countPending()).isZero();
        assertThat(store.countDeadLetters(null)).isEqualTo(1);
        WebhookDelivery dead = store.deadLetters(null, 0, 10).get(0);
        assertThat(dead.id()).isEqualTo(head.id());
        assertThat(dead.event()).isEqualTo(first);
        assertThat(dead.dead()).isTrue();
        assertThat(dead.attempts()).isEqualTo(1);
        assertThat(dead.lastError()).isEqualTo("HTTP 500");
        assertThat(dead.nextAttemptAt()).as("when it died").isEqualTo(died);
        assertThat(claim(died.plusSeconds(3600))).as("a dead letter is never claimed").isEmpty();
    }

    @Test
    void deadLettersAreListedOldestFirstBySubscriptionAndByPage() {
        List<String> billing = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            billing.add(killed(event("tenant-" + i, "job.failed"), "billing", T0.plusSeconds(i)).id());
        }
        String crm = killed(event("tenant-0", "job.failed"), "crm", T0.plusSeconds(9)).id();
        billing.add(killed(event("tenant-9", "job.failed"), "billing", T0.plusSeconds(10)).id());

        assertThat(store.deadLetters(null, 0, 100)).extracting(WebhookDelivery::id)
                .containsExactly(billing.get(0), billing.get(1), billing.get(2), crm, billing.get(3));
        assertThat(store.deadLetters("billing", 0, 100)).extracting(WebhookDelivery::id)
                .containsExactlyElementsOf(billing);
        assertThat(store.deadLetters("billing", 1, 2)).extracting(WebhookDelivery::id)
                .containsExactly(billing.get(1), billing.get(2));
        assertThat(store.deadLetters("billing", 4, 2)).isEmpty();
        assertThat(store.deadLetters("crm", 0, 100)).extracting(WebhookDelivery::id).containsExactly(crm);
        assertThat(store.deadLetters("nobody", 0, 100)).isEmpty();
        assertThat(store.countDeadLetters(null)).isEqualTo(5);
        assertThat(store.countDeadLetters("billing")).isEqualTo(4);
        assertThat(store.countDeadLetters("crm")).isEqualTo(1);
        assertThat(store.countDeadLetters("nobody")).isZero();
        assertThat(store.countPending()).isZero();
    }

    // ---- redelivery -------------------------------------------------------------------------------------------------

    @Test
    void aRedeliveredDeadLetterIsBackAtItsOldPlaceAsTheHeadWithNoAttemptsAndDueNow() {
        ProvisioningEvent first = event("tenant-a", "job.queued");
        store.enqueue(first, List.of("billing"), T0);
        store.enqueue(event("tenant-a", "job.in_progress"), List.of("billing"), T0);
        store.enqueue(event("tenant-a", "job.succeeded"), List.of("billing"), T0);
        WebhookDelivery head = claim(T0).get(0);
        assertThat(store.retryLater(head, T0, "HTTP 502")).isTrue();
        assertThat(store.deadLetter(claim(T0).get(0), "HTTP 500", T0.plusSeconds(1))).isTrue();
        WebhookDelivery second = claim(T0.plusSeconds(1)).get(0);
        assertThat(second.event().type()).isEqualTo("job.in_progress");
        assertThat(store.retryLater(second, T0.plusSeconds(2), "timeout")).isTrue();

        Instant now = T0.plusSeconds(60);
        WebhookDelivery back = store.redeliver(head.id(), now).orElseThrow();

        assertThat(back.id()).isEqualTo(head.id());
        assertThat(back.sequence()).as("its old place").isEqualTo(head.sequence());
        assertThat(back.event()).isEqualTo(first);
        assertThat(back.dead()).isFalse();
        assertThat(back.attempts()).isZero();
        assertThat(back.nextAttemptAt()).isEqualTo(now);
        assertThat(store.countDeadLetters(null)).isZero();
        assertThat(store.countPending()).isEqualTo(3);
        assertThat(store.redeliver(head.id(), now)).as("no longer dead").isEmpty();

        List<WebhookDelivery> heads = claim(now);
        assertThat(heads).extracting(WebhookDelivery::id).as("the head again, before the later ones")
                .containsExactly(head.id());
        assertThat(heads.get(0).attempts()).isZero();
        assertThat(store.delivered(heads.get(0))).isTrue();
        assertThat(drain(now)).containsExactly("billing:tenant-a:job.in_progress", "billing:tenant-a:job.succeeded");
    }

    @Test
    void onlyADeadLetterCanBeRedelivered() {
        store.enqueue(event("tenant-a", "job.queued"), List.of("billing"), T0);
        WebhookDelivery pending = claim(T0).get(0);

        assertThat(store.redeliver(UUID.randomUUID().toString(), T0)).as("unknown").isEmpty();
        assertThat(store.redeliver(pending.id(), T0)).as("pending, not dead").isEmpty();
        assertThat(store.delivered(pending)).as("the claim still holds").isTrue();
        assertThat(store.redeliver(pending.id(), T0)).as("delivered, gone").isEmpty();
    }

    @Test
    void aRedeliveredDeadLetterThatFailsAgainCanDieAgain() {
        WebhookDelivery dead = killed(event("tenant-a", "job.failed"), "billing", T0);
        store.redeliver(dead.id(), T0.plusSeconds(1)).orElseThrow();

        WebhookDelivery claimed = claim(T0.plusSeconds(1)).get(0);
        assertThat(store.deadLetter(claimed, "HTTP 404", T0.plusSeconds(2))).isTrue();

        assertThat(store.deadLetters("billing", 0, 10)).singleElement().satisfies(d -> {
            assertThat(d.id()).isEqualTo(dead.id());
            assertThat(d.attempts()).isEqualTo(1);
            assertThat(d.lastError()).isEqualTo("HTTP 404");
        });
    }
}
