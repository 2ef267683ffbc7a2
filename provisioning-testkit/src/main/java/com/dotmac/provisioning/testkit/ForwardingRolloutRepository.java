package com.dotmac.provisioning.testkit;

import com.dotmac.provisioning.rollout.RolloutEvent;
import com.dotmac.provisioning.rollout.RolloutMember;
import com.dotmac.provisioning.rollout.RolloutMemberStatus;
import com.dotmac.provisioning.rollout.RolloutPage;
import com.dotmac.provisioning.spi.RolloutRepository;
import com.dotmac.provisioning.spi.StoredRollout;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A {@link RolloutRepository} that forwards every call to another one; a test overrides the calls it wants to fail,
 * slow down or stop at (a node frozen mid-look, a wave switch about to be written). Thread-safe when the repository
 * it wraps and the overrides are.
 */
public abstract class ForwardingRolloutRepository implements RolloutRepository {
    private final RolloutRepository delegate;

    /** @param delegate the repository that does the work */
    protected ForwardingRolloutRepository(RolloutRepository delegate) {
        this.delegate = delegate;
    }

    /** @return the repository that does the work */
    protected final RolloutRepository delegate() {
        return delegate;
    }

    @Override
    public StoredRollout create(StoredRollout rollout, List<RolloutMember> members, List<RolloutEvent> events) {
        return delegate.create(rollout, members, events);
    }

    @Override
    public Optional<StoredRollout> findByIdempotencyKey(String idempotencyKey) {
        return delegate.findByIdempotencyKey(idempotencyKey);
    }

    @Override
    public Optional<StoredRollout> find(String rolloutId) {
        return delegate.find(rolloutId);
    }

    @Override
    public RolloutPage page(int page, int pageSize) {
        return delegate.page(page, pageSize);
    }

    @Override
    public List<StoredRollout> claimDue(String owner, Instant now, Instant leaseUntil, int limit) {
        return delegate.claimDue(owner, now, leaseUntil, limit);
    }

    @Override
    public StoredRollout commit(StoredRollout rollout, List<RolloutEvent> events) {
        return delegate.commit(rollout, events);
    }

    @Override
    public List<RolloutMember> members(String rolloutId, @Nullable RolloutMemberStatus status, @Nullable Integer wave,
            int offset, int limit) {
        return delegate.members(rolloutId, status, wave, offset, limit);
    }

    @Override
    public void updateMembers(Collection<RolloutMember> members) {
        delegate.updateMembers(members);
    }

    @Override
    public Map<RolloutMemberStatus, Long> countMembers(String rolloutId, @Nullable Integer wave) {
        return delegate.countMembers(rolloutId, wave);
    }

    @Override
    public List<RolloutEvent> events(String rolloutId) {
        return delegate.events(rolloutId);
    }
}
