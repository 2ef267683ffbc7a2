package com.dotmac.provisioning.jdbc.support;

import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.rollout.MemberJobSpec;
import com.dotmac.provisioning.rollout.Rollout;
import com.dotmac.provisioning.rollout.RolloutMember;
import com.dotmac.provisioning.rollout.RolloutPlan;
import com.dotmac.provisioning.rollout.RolloutStatus;
import com.dotmac.provisioning.spi.StoredRollout;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Rollouts and members for the JDBC tests that need one stored. Stateless. */
public final class RolloutFixtures {
    private RolloutFixtures() {
    }

    /**
     * @param id the rollout id
     * @param at its creation, also its first check
     * @return a running upgrade rollout of one wave, version 0
     */
    public static StoredRollout rollout(String id, Instant at) {
        MemberJobSpec spec = new MemberJobSpec(Operation.UPGRADE, null, "2.4.0", Map.of(), null, "alice");
        return new StoredRollout(new Rollout(id, spec, "listed", RolloutPlan.builder().build(), RolloutStatus.RUNNING,
                null, List.of(), 0, Map.of(), at, at, null), 0, null, null, at);
    }

    /**
     * @param rolloutId the rollout
     * @param count how many
     * @return waiting members {@code t-0..} of wave 0
     */
    public static List<RolloutMember> members(String rolloutId, int count) {
        List<RolloutMember> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            list.add(RolloutMember.waiting(rolloutId, "t-" + i, i, 0, Instant.parse("2026-12-01T10:00:00Z")));
        }
        return list;
    }
}
