package com.dotmac.provisioning.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.jdbc.support.EmbeddedPostgresDatabases;
import com.dotmac.provisioning.jdbc.support.H2Databases;
import com.dotmac.provisioning.jdbc.support.MySqlDatabases;
import com.dotmac.provisioning.jdbc.support.RolloutFixtures;
import com.dotmac.provisioning.jdbc.support.TestDatabase;
import com.dotmac.provisioning.spi.StoredRollout;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Nodes claiming due rollouts at the same moment, each with a pool of its own, never get the same rollout: the
 * claims skip locked rows (PostgreSQL, MySQL/MariaDB) or lose a version check (H2).
 */
class RolloutClaimConcurrencyTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final int ROLLOUTS = 40;
    private static final int NODES = 4;

    @Test
    void concurrentClaimsOnH2NeverShareARollout() throws Exception {
        try (TestDatabase db = H2Databases.newDatabase("")) {
            assertClaimsAreDisjoint(db);
        }
    }

    @Test
    void concurrentClaimsOnPostgresNeverShareARollout() throws Exception {
        try (TestDatabase db = EmbeddedPostgresDatabases.newSchema()) {
            assertClaimsAreDisjoint(db);
        }
    }

    @Test
    void concurrentClaimsOnMySqlNeverShareARollout() throws Exception {
        try (TestDatabase db = MySqlDatabases.newDatabase()) {
            assertClaimsAreDisjoint(db);
        }
    }

    private static void assertClaimsAreDisjoint(TestDatabase db) throws Exception {
        new JdbcSchemaInitializer(db.dataSource()).initialize();
        JdbcRolloutRepository setup = new JdbcRolloutRepository(db.dataSource());
        for (int i = 0; i < ROLLOUTS; i++) {
            String id = "r-" + i;
            setup.create(RolloutFixtures.rollout(id, T0.plusMillis(i)), RolloutFixtures.members(id, 2), List.of());
        }
        ExecutorService pool = Executors.newFixedThreadPool(NODES);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<String>>> claims = new ArrayList<>();
            for (int n = 0; n < NODES; n++) {
                JdbcRolloutRepository node = new JdbcRolloutRepository(db.newPool(), db.dialect());
                String owner = "node-" + n;
                Callable<List<String>> claim = () -> {
                    start.await();
                    List<String> mine = new ArrayList<>();
                    for (int round = 0; round < 5; round++) {
                        node.claimDue(owner, T0.plusSeconds(1), T0.plusSeconds(60), 5).forEach(s -> {
                            assertThat(s.leaseOwner()).isEqualTo(owner);
                            mine.add(s.id());
                        });
                    }
                    return mine;
                };
                claims.add(pool.submit(claim));
            }
            start.countDown();
            List<String> all = new ArrayList<>();
            for (Future<List<String>> f : claims) {
                all.addAll(f.get(60, TimeUnit.SECONDS));
            }

            assertThat(all).as("no rollout claimed twice").doesNotHaveDuplicates();
            assertThat(setup.claimDue("late", T0.plusSeconds(2), T0.plusSeconds(60), ROLLOUTS))
                    .extracting(StoredRollout::id).as("the rest is still claimable")
                    .doesNotContainAnyElementsOf(all).hasSize(ROLLOUTS - all.size());
        } finally {
            pool.shutdownNow();
        }
    }
}
