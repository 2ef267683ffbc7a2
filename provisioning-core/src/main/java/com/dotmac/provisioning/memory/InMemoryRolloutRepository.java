package com.dotmac.provisioning.memory;

import com.dotmac.provisioning.events.ProvisioningEvent;
import com.dotmac.provisioning.rollout.Rollout;
import com.dotmac.provisioning.rollout.RolloutEvent;
import com.dotmac.provisioning.rollout.RolloutMember;
import com.dotmac.provisioning.rollout.RolloutMemberStatus;
import com.dotmac.provisioning.rollout.RolloutPage;
import com.dotmac.provisioning.spi.RolloutRepository;
import com.dotmac.provisioning.spi.StaleRolloutException;
import com.dotmac.provisioning.spi.StoredRollout;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A {@link RolloutRepository} in the JVM's heap. Not durable: use it for tests, demos, or one node that accepts that.
 * Thread-safe (one lock); one instance can be shared by several engines in the same JVM.
 *
 * <p>Outbox: made with {@link #InMemoryRolloutRepository(InMemoryJobRepository)} over a job repository that records
 * events ({@link InMemoryJobRepository#recordingEvents()}), every rollout status change is stored in that job
 * repository's outbox ({@link com.dotmac.provisioning.spi.EventOutbox}) while this repository's lock is held (so
 * nobody sees the change without its event); otherwise it produces no events.
 */
public final class InMemoryRolloutRepository implements RolloutRepository {
    private static final Comparator<StoredRollout> NEWEST_FIRST = Comparator
            .comparing((StoredRollout s) -> s.rollout().createdAt()).reversed()
            .thenComparing(StoredRollout::id, Comparator.reverseOrder());

    private final Object lock = new Object();
    private final Map<String, StoredRollout> rollouts = new LinkedHashMap<>();
    private final Map<String, List<RolloutMember>> members = new HashMap<>();
    private final Map<String, List<RolloutEvent>> events = new HashMap<>();
    private final Map<String, String> byKey = new HashMap<>();
    private final @Nullable InMemoryJobRepository outbox;

    /** A repository whose rollout status changes produce no outbox events. */
    public InMemoryRolloutRepository() {
        this.outbox = null;
    }

    /**
     * A repository whose rollout status changes are stored as events in the job repository's outbox.
     *
     * @param outbox the job repository whose outbox gets the events
     */
    public InMemoryRolloutRepository(InMemoryJobRepository outbox) {
        this.outbox = Objects.requireNonNull(outbox, "outbox");
    }

    private void addToOutbox(List<RolloutEvent> newEvents) {
        if (outbox != null && outbox.recordsEvents()) {
            outbox.addToOutbox(ProvisioningEvent.ofRolloutWrite(newEvents));
        }
    }

    @Override
    public StoredRollout create(StoredRollout rollout, List<RolloutMember> newMembers, List<RolloutEvent> newEvents) {
        synchronized (lock) {
            if (rollouts.containsKey(rollout.id())) {
                throw new IllegalArgumentException("rollout " + rollout.id() + " exists");
            }
            String key = rollout.idempotencyKey();
            if (key != null && byKey.containsKey(key)) {
                return counted(Objects.requireNonNull(rollouts.get(byKey.get(key))));
            }
            StoredRollout stored = rollout.withVersion(1);
            rollouts.put(rollout.id(), stored);
            if (key != null) {
                byKey.put(key, rollout.id());
            }
            members.put(rollout.id(), new ArrayList<>(newMembers));
            events.put(rollout.id(), new ArrayList<>(newEvents));
            addToOutbox(newEvents);
            return counted(stored);
        }
    }

    @Override
    public Optional<StoredRollout> findByIdempotencyKey(String idempotencyKey) {
        synchronized (lock) {
            return Optional.ofNullable(byKey.get(idempotencyKey)).map(rollouts::get).map(this::counted);
        }
    }

    @Override
    public Optional<StoredRollout> find(String rolloutId) {
        synchronized (lock) {
            return Optional.ofNullable(rollouts.get(rolloutId)).map(this::counted);
        }
    }

    @Override
    public RolloutPage page(int page, int pageSize) {
        synchronized (lock) {
            List<StoredRollout> all = rollouts.values().stream().sorted(NEWEST_FIRST).toList();
            List<Rollout> items = all.stream().skip((long) page * pageSize).limit(pageSize)
                    .map(s -> counted(s).rollout()).toList();
            return new RolloutPage(items, all.size(), page, pageSize);
        }
    }

    @Override
    public List<StoredRollout> claimDue(String owner, Instant now, Instant leaseUntil, int limit) {
        synchronized (lock) {
            List<StoredRollout> due = rollouts.values().stream()
                    .filter(s -> !s.rollout().status().isTerminal() && s.nextCheckAt() != null
                            && !s.nextCheckAt().isAfter(now)
                            && (s.leaseUntil() == null || s.leaseUntil().isBefore(now)))
                    .sorted(Comparator.comparing(s -> Objects.requireNonNull(s.nextCheckAt())))
                    .limit(limit).toList();
            List<StoredRollout> claimed = new ArrayList<>();
            for (StoredRollout s : due) {
                StoredRollout leased = s.withLease(owner, leaseUntil).withVersion(s.version() + 1);
                rollouts.put(s.id(), leased);
                claimed.add(counted(leased));
            }
            return claimed;
        }
    }

    @Override
    public StoredRollout commit(StoredRollout rollout, List<RolloutEvent> newEvents) {
        synchronized (lock) {
            StoredRollout current = rollouts.get(rollout.id());
            if (current == null || current.version() != rollout.version()) {
                throw new StaleRolloutException(rollout.id(), rollout.version());
            }
            // the key is the creating request's for ever, whatever the writer carries
            StoredRollout stored = new StoredRollout(rollout.rollout(), rollout.version() + 1, rollout.leaseOwner(),
                    rollout.leaseUntil(), rollout.nextCheckAt(), current.idempotencyKey());
            rollouts.put(rollout.id(), stored);
            events.computeIfAbsent(rollout.id(), k -> new ArrayList<>()).addAll(newEvents);
            addToOutbox(newEvents);
            return counted(stored);
        }
    }

    @Override
    public List<RolloutMember> members(String rolloutId, @Nullable RolloutMemberStatus status, @Nullable Integer wave,
            int offset, int limit) {
        synchronized (lock) {
            return members.getOrDefault(rolloutId, List.of()).stream()
                    .filter(m -> status == null || m.status() == status)
                    .filter(m -> wave == null || m.wave() == wave)
                    .skip(offset).limit(limit).toList();
        }
    }

    @Override
    public void updateMembers(Collection<RolloutMember> changed) {
        synchronized (lock) {
            for (RolloutMember m : changed) {
                List<RolloutMember> list = members.get(m.rolloutId());
                if (list == null || m.position() < 0 || m.position() >= list.size()
                        || !list.get(m.position()).tenantId().equals(m.tenantId())) {
                    throw new IllegalArgumentException("rollout " + m.rolloutId() + " has no member "
                            + m.tenantId() + " at position " + m.position());
                }
                list.set(m.position(), m);
            }
        }
    }

    @Override
    public Map<RolloutMemberStatus, Long> countMembers(String rolloutId, @Nullable Integer wave) {
        synchronized (lock) {
            Map<RolloutMemberStatus, Long> counts = new EnumMap<>(RolloutMemberStatus.class);
            for (RolloutMember m : members.getOrDefault(rolloutId, List.of())) {
                if (wave == null || m.wave() == wave) {
                    counts.merge(m.status(), 1L, Long::sum);
                }
            }
            return counts;
        }
    }

    @Override
    public List<RolloutEvent> events(String rolloutId) {
        synchronized (lock) {
            return List.copyOf(events.getOrDefault(rolloutId, List.of()));
        }
    }

    /** The stored rollout with its member counts filled in; call under the lock. */
    private StoredRollout counted(StoredRollout s) {
        Rollout r = s.rollout();
        return s.withRollout(new Rollout(r.id(), r.jobs(), r.selection(), r.plan(), r.status(), r.statusReason(),
                r.waveSizes(), r.currentWave(), countMembers(r.id(), null), r.createdAt(), r.updatedAt(),
                r.finishedAt()));
    }
}
