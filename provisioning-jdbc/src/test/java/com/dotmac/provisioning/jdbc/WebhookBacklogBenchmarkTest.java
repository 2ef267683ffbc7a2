package com.dotmac.provisioning.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.events.ProvisioningEvent;
import com.dotmac.provisioning.jdbc.support.EmbeddedPostgresDatabases;
import com.dotmac.provisioning.jdbc.support.H2Databases;
import com.dotmac.provisioning.jdbc.support.MySqlDatabases;
import com.dotmac.provisioning.jdbc.support.TestDatabase;
import com.dotmac.provisioning.webhooks.WebhookDelivery;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a dead receiver's backlog costs the other queues' claims: one subscription's queue holds a backlog behind a
 * head that waits for its retry, while another subscription's head is due; a claim must still find that head. Prints
 * the time of a claim for each backlog size. Not part of a normal build (tag {@code benchmark}); run it with
 * {@code mvn -pl provisioning-jdbc verify -Djdbc.excludedGroups= -Dgroups=benchmark -Dtest=WebhookBacklogBenchmarkTest}.
 */
@Tag("benchmark")
class WebhookBacklogBenchmarkTest {
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "h2", "mysql"})
    void aBacklogBehindAWaitingHeadCostsTheOtherQueuesClaims(String database) {
        try (TestDatabase db = switch (database) {
            case "postgresql" -> EmbeddedPostgresDatabases.newSchema();
            case "h2" -> H2Databases.newDatabase("");
            default -> MySqlDatabases.newDatabase();
        }) {
            new JdbcSchemaInitializer(db.dataSource()).initialize();
            JdbcWebhookDeliveryStore store = new JdbcWebhookDeliveryStore(db.dataSource());
            store.enqueue(event("tenant-a"), List.of("dead"), T0);
            WebhookDelivery head = store.claimDue("n", T0, T0.plusSeconds(30), 1).get(0);
            assertThat(store.retryLater(head, T0.plusSeconds(86_400), "timeout")).isTrue();
            int backlog = 0;
            for (int size : new int[] {1_000, 5_000, 20_000}) {
                for (; backlog < size; backlog++) {
                    store.enqueue(event("tenant-a"), List.of("dead"), T0);
                }
                store.enqueue(event("tenant-b"), List.of("live"), T0);
                long best = Long.MAX_VALUE;
                for (int round = 0; round < 5; round++) {
                    long start = System.nanoTime();
                    List<WebhookDelivery> claimed = store.claimDue("n", T0.plusSeconds(60 + round), T0, 10);
                    best = Math.min(best, System.nanoTime() - start);
                    assertThat(claimed).extracting(WebhookDelivery::subscription).containsExactly("live");
                }
                assertThat(store.delivered(store.claimDue("n", T0.plusSeconds(60), T0.plusSeconds(90), 10).get(0)))
                        .isTrue();
                System.out.printf("webhook backlog %s: %,d rows behind a waiting head, a claim %.1f ms%n", database,
                        size, best / 1e6);
            }
        }
    }

    private static ProvisioningEvent event(String tenant) {
        return new ProvisioningEvent(UUID.randomUUID().toString(), "job.queued", tenant, "j", null, T0,
                Map.of("to", "queued"));
    }
}
