package com.dotmac.provisioning.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.jdbc.support.CountingDataSource;
import com.dotmac.provisioning.jdbc.support.EmbeddedPostgresDatabases;
import com.dotmac.provisioning.jdbc.support.TestDatabase;
import com.dotmac.provisioning.rollout.FailureThreshold;
import com.dotmac.provisioning.rollout.MemberJobSpec;
import com.dotmac.provisioning.rollout.Rollout;
import com.dotmac.provisioning.rollout.RolloutEvent;
import com.dotmac.provisioning.rollout.RolloutEventType;
import com.dotmac.provisioning.rollout.RolloutMember;
import com.dotmac.provisioning.rollout.RolloutMemberStatus;
import com.dotmac.provisioning.rollout.RolloutPlan;
import com.dotmac.provisioning.rollout.RolloutStatus;
import com.dotmac.provisioning.spi.StoredRollout;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Enqueueing a big rollout is batched (issue 16): 10,000 members are stored, and later all updated, with a handful
 * of statements on embedded PostgreSQL, counted with a counting data source, not one round trip per member.
 */
class RolloutStatementsTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final int MEMBERS = 10_000;
    /** A handful: the rollout, 20 batches of 500 members, the events; with room to spare. */
    private static final int MOST_STATEMENTS = 30;

    @Test
    void tenThousandMembersAreStoredAndUpdatedInAHandfulOfStatements() {
        try (TestDatabase db = EmbeddedPostgresDatabases.newSchema()) {
            new JdbcSchemaInitializer(db.dataSource()).initialize();
            CountingDataSource counting = new CountingDataSource(db.dataSource());
            JdbcRolloutRepository repository = new JdbcRolloutRepository(counting, JdbcDialect.POSTGRESQL);
            List<RolloutMember> members = new ArrayList<>(MEMBERS);
            for (int i = 0; i < MEMBERS; i++) {
                members.add(RolloutMember.waiting("big", "tenant-" + i, i, i / 1_000, T0));
            }

            counting.reset();
            StoredRollout created = repository.create(rollout("big"), members, List.of(new RolloutEvent("big", T0,
                    RolloutEventType.CREATED, null, RolloutStatus.RUNNING, "created", Map.of())));

            assertThat(counting.statements()).as("statements to store %d members", MEMBERS)
                    .isLessThanOrEqualTo(MOST_STATEMENTS);
            assertThat(counting.batchedRows()).isEqualTo(MEMBERS);
            assertThat(counting.commits()).as("one transaction").isEqualTo(1);
            assertThat(counting.connections()).isEqualTo(1);
            assertThat(created.rollout().members()).containsEntry(RolloutMemberStatus.WAITING, (long) MEMBERS);

            List<RolloutMember> started = new ArrayList<>(MEMBERS);
            for (RolloutMember m : members) {
                started.add(m.started("job-" + m.position(), T0.plusSeconds(1)));
            }
            counting.reset();
            repository.updateMembers(started);

            assertThat(counting.statements()).as("statements to update %d members", MEMBERS)
                    .isLessThanOrEqualTo(MOST_STATEMENTS);
            assertThat(counting.commits()).isEqualTo(1);

            counting.reset();
            assertThat(repository.countMembers("big", null)).containsEntry(RolloutMemberStatus.STARTED,
                    (long) MEMBERS);
            assertThat(repository.members("big", RolloutMemberStatus.STARTED, 9, 0, 2))
                    .extracting(RolloutMember::jobId).containsExactly("job-9000", "job-9001");
            assertThat(counting.statements()).as("a count and a page of members").isEqualTo(2);
        }
    }

    private static StoredRollout rollout(String id) {
        MemberJobSpec spec = new MemberJobSpec(Operation.UPGRADE, null, "2.4.0", Map.of(), null, "alice");
        RolloutPlan plan = RolloutPlan.builder().maxParallel(200).failureThreshold(FailureThreshold.percent(10))
                .build();
        List<Integer> waves = new ArrayList<>();
        for (int i = 0; i < MEMBERS / 1_000; i++) {
            waves.add(1_000);
        }
        return new StoredRollout(new Rollout(id, spec, MEMBERS + " listed", plan, RolloutStatus.RUNNING, null, waves,
                0, Map.of(), T0, T0, null), 0, null, null, T0);
    }
}
