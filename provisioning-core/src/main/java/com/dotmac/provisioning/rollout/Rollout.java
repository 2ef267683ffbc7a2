package com.dotmac.provisioning.rollout;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A rollout as its callers see it. Immutable and thread-safe.
 *
 * @param id the rollout's id
 * @param jobs what every member's job is made of
 * @param selection how its tenants were chosen, e.g. {@code 1000 listed} or {@code status provisioned}
 * @param plan its plan
 * @param status where it stands
 * @param statusReason why it is paused, aborting or aborted (e.g. the threshold crossed, with the failed tenants),
 *     or null
 * @param waveSizes the number of tenants in each wave (the canary's first, when there is one)
 * @param currentWave the wave whose members start now (0 first)
 * @param members how many of its tenants stand where (every status is present, 0 when none)
 * @param createdAt when it was created
 * @param updatedAt when it last changed
 * @param finishedAt when it completed or was aborted, or null
 */
public record Rollout(
        String id,
        MemberJobSpec jobs,
        String selection,
        RolloutPlan plan,
        RolloutStatus status,
        @Nullable String statusReason,
        List<Integer> waveSizes,
        int currentWave,
        Map<RolloutMemberStatus, Long> members,
        Instant createdAt,
        Instant updatedAt,
        @Nullable Instant finishedAt) {

    /** Checks the required fields and copies the lists and counts (every status present). */
    public Rollout {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(jobs, "jobs");
        Objects.requireNonNull(status, "status");
        waveSizes = List.copyOf(waveSizes);
        Map<RolloutMemberStatus, Long> counts = new EnumMap<>(RolloutMemberStatus.class);
        for (RolloutMemberStatus s : RolloutMemberStatus.values()) {
            counts.put(s, members.getOrDefault(s, 0L));
        }
        members = java.util.Collections.unmodifiableMap(counts);
    }

    /** @return the number of its tenants */
    public long memberCount() {
        return members.values().stream().mapToLong(Long::longValue).sum();
    }
}
