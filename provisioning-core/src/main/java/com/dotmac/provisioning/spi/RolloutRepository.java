package com.dotmac.provisioning.spi;

import com.dotmac.provisioning.rollout.RolloutEvent;
import com.dotmac.provisioning.rollout.RolloutMember;
import com.dotmac.provisioning.rollout.RolloutMemberStatus;
import com.dotmac.provisioning.rollout.RolloutPage;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Stores rollouts, their members and their timelines. A rollout is worked on by one node at a time (its lease), so
 * starting its members and counting those in flight never race; every rollout write is checked against the version
 * read ({@link StaleRolloutException}).
 *
 * <p>Thread-safety: implementations must be thread-safe; engines on several nodes share one repository.
 *
 * <p>Every implementation passes {@code RolloutRepositoryContract} from {@code provisioning-testkit}.
 */
public interface RolloutRepository {

    /**
     * Stores a new rollout with all its members and its first events, atomically, in a bounded number of statements
     * (batches, not one round trip per member), enforcing one rollout per idempotency key: of two creates with one
     * key at the same moment, one stores its rollout and the other gets it.
     *
     * @param rollout the rollout, version 0
     * @param members its members in order (positions 0..n-1), all waiting
     * @param events its first events
     * @return the rollout as stored (version 1); or, when a rollout with the same idempotency key exists, that
     *     rollout, unchanged, and nothing of this one is stored (the caller detects this by the differing id)
     * @throws IllegalArgumentException when a rollout with that id exists
     */
    StoredRollout create(StoredRollout rollout, List<RolloutMember> members, List<RolloutEvent> events);

    /**
     * @param idempotencyKey a caller's key
     * @return the rollout created with that key, or empty
     */
    Optional<StoredRollout> findByIdempotencyKey(String idempotencyKey);

    /**
     * @param rolloutId a rollout id
     * @return the rollout with its member counts, or empty
     */
    Optional<StoredRollout> find(String rolloutId);

    /**
     * @param page 0-based
     * @param pageSize 1 or more
     * @return the rollouts, newest first, with their member counts
     */
    RolloutPage page(int page, int pageSize);

    /**
     * Leases the rollouts due at {@code now} (not terminal, next check passed, lease free or expired), oldest due
     * first.
     *
     * @param owner this node
     * @param now the time
     * @param leaseUntil the lease's expiry
     * @param limit the most rollouts
     * @return the leased rollouts (new versions)
     */
    List<StoredRollout> claimDue(String owner, Instant now, Instant leaseUntil, int limit);

    /**
     * Writes a rollout and appends events, if its version is still the one read.
     *
     * @param rollout the rollout as the writer wants it, carrying the version it read
     * @param events events to append
     * @return the rollout as stored (the next version)
     * @throws StaleRolloutException when the rollout changed since it was read
     */
    StoredRollout commit(StoredRollout rollout, List<RolloutEvent> events);

    /**
     * @param rolloutId the rollout
     * @param status only members in this status, or null for all
     * @param wave only members of this wave, or null for all
     * @param offset members to skip, in position order
     * @param limit the most members
     * @return members in position order
     */
    List<RolloutMember> members(String rolloutId, @Nullable RolloutMemberStatus status, @Nullable Integer wave,
            int offset, int limit);

    /**
     * Writes changed members (their status, job, error and attempt), in a bounded number of statements.
     *
     * @param members the members as they are now
     */
    void updateMembers(Collection<RolloutMember> members);

    /**
     * @param rolloutId the rollout
     * @param wave only this wave, or null for all
     * @return how many members stand where (statuses without members may be absent)
     */
    Map<RolloutMemberStatus, Long> countMembers(String rolloutId, @Nullable Integer wave);

    /**
     * @param rolloutId the rollout
     * @return its events, oldest first
     */
    List<RolloutEvent> events(String rolloutId);
}
