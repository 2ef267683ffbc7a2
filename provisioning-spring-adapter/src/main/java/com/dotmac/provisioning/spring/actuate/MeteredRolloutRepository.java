package com.dotmac.provisioning.spring.actuate;

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
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A {@link RolloutRepository} that reports each tenant outcome it records (a member written as succeeded, failed or
 * skipped) after the write succeeded, and otherwise passes every call through. Thread-safe when the delegate is.
 */
final class MeteredRolloutRepository implements RolloutRepository {
    private final RolloutRepository delegate;
    private final Consumer<RolloutMemberStatus> outcomes;

    MeteredRolloutRepository(RolloutRepository delegate, Consumer<RolloutMemberStatus> outcomes) {
        this.delegate = delegate;
        this.outcomes = outcomes;
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
        for (RolloutMember m : members) {
            if (m.status().isDone()) {
                outcomes.accept(m.status());
            }
        }
    }

    @Override
    public Map<RolloutMemberStatus, Long> countMembers(String rolloutId, @Nullable Integer wave) {
        return delegate.countMembers(rolloutId, wave);
    }

    @Override
    public List<RolloutEvent> events(String rolloutId) {
        return delegate.events(rolloutId);
    }

    @Override
    public String toString() {
        return delegate.toString();
    }
}
