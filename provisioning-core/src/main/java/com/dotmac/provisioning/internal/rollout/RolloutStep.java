package com.dotmac.provisioning.internal.rollout;

import com.dotmac.provisioning.rollout.Rollout;
import com.dotmac.provisioning.rollout.RolloutEvent;
import com.dotmac.provisioning.rollout.RolloutEventType;
import com.dotmac.provisioning.rollout.RolloutMember;
import com.dotmac.provisioning.rollout.RolloutMemberStatus;
import com.dotmac.provisioning.rollout.RolloutStatus;
import com.dotmac.provisioning.rollout.RolloutTransition;
import com.dotmac.provisioning.spi.StaleRolloutException;
import com.dotmac.provisioning.spi.StoredRollout;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One look at a rollout this node holds the lease of: follow its members' jobs; then, as its status says, pause it
 * when its failures cross the threshold, switch to the next wave (after the pause between waves), complete it, or
 * start its waiting members up to {@code maxParallel} in flight (for at most half a lease: the rest at the next
 * look); skip the members of an aborted rollout and end it
 * once its jobs have ended. The rollout is written back with the lease released and its next look scheduled.
 *
 * <p>Stateless and thread-safe; one rollout is looked at by one node at a time (its lease).
 */
final class RolloutStep {
    private static final Logger log = LoggerFactory.getLogger(RolloutStep.class);
    /** The failed members named in the reason of a threshold pause. */
    private static final int FAILURES_NAMED = 10;
    /** Waiting members read per batch when starting or skipping. */
    private static final int BATCH = 200;

    private final RolloutContext ctx;
    private final MemberOutcomes outcomes;
    private final MemberStarter starter;

    RolloutStep(RolloutContext ctx) {
        this.ctx = ctx;
        this.outcomes = new MemberOutcomes(ctx);
        this.starter = new MemberStarter(ctx);
    }

    /** @param s a rollout this node has just claimed */
    void advance(StoredRollout s) {
        Instant now = ctx.clock().instant();
        outcomes.refresh(s.id(), now);
        Rollout r = s.rollout();
        Map<RolloutMemberStatus, Long> counts = ctx.rollouts().countMembers(s.id(), null);
        List<RolloutEvent> events = new ArrayList<>();
        Rollout next = r;
        Instant nextCheck = now.plus(ctx.checkInterval());
        switch (r.status()) {
            case RUNNING -> {
                long failed = count(counts, RolloutMemberStatus.FAILED);
                long finished = failed + count(counts, RolloutMemberStatus.SUCCEEDED);
                if (r.plan().failureThreshold().isCrossedBy((int) failed, (int) finished)) {
                    String reason = thresholdReason(r, failed, finished);
                    next = moved(r, RolloutTransition.THRESHOLD_CROSSED, reason, now, events);
                    log.warn("rollout {}: paused: {}", r.id(), reason);
                    break;
                }
                long started = count(counts, RolloutMemberStatus.STARTED);
                @Nullable RolloutMember firstWaiting = firstWaiting(s.id());
                boolean waveOpen = started > 0 || (firstWaiting != null && firstWaiting.wave() <= r.currentWave());
                if (!waveOpen) {
                    if (firstWaiting == null) {
                        next = moved(r, RolloutTransition.COMPLETED, null, now, events);
                        nextCheck = null;
                        break;
                    }
                    next = withWave(r, r.currentWave() + 1, now);
                    Instant opens = now.plus(r.plan().pauseBetweenWaves());
                    events.add(RolloutEvent.of(r.id(), now, RolloutEventType.WAVE_STARTED, "wave " + next.currentWave()
                            + " of " + r.waveSizes().size() + " (" + r.waveSizes().get(next.currentWave())
                            + " tenants) starts" + (opens.isAfter(now) ? " at " + opens : ""),
                            Map.of("wave", (long) next.currentWave())));
                    if (opens.isAfter(now)) {
                        nextCheck = opens;
                        break;
                    }
                }
                startMembers(s.id(), next, started, now, now.plus(ctx.lease().dividedBy(2)), events);
            }
            case ABORTING -> {
                skipWaiting(s.id(), now);
                if (count(counts, RolloutMemberStatus.STARTED) == 0) {
                    next = moved(r, RolloutTransition.ABORTED, r.statusReason(), now, events);
                    nextCheck = null;
                }
            }
            default -> {
                // paused: only its members' jobs are followed; terminal rollouts are not claimed
            }
        }
        write(s, next, nextCheck, events);
    }

    /**
     * Starts waiting members of the open waves up to the free slots. Stops at {@code stopBy} (half the lease after
     * the claim), leaving the rest to the next look: a look that ran past its lease could be claimed by another node
     * meanwhile, and two nodes starting members at once could exceed {@code maxParallel}.
     */
    private void startMembers(String rolloutId, Rollout r, long inFlight, Instant now, Instant stopBy,
            List<RolloutEvent> events) {
        long slots = Math.min(r.plan().maxParallel() - inFlight, ctx.memberJobs().roomForRolloutRuns());
        int deferred = 0;
        boolean more = slots > 0;
        while (more) {
            // started and refused members leave the waiting ones once written, so the deferred ones are skipped
            List<RolloutMember> waiting = ctx.rollouts().members(rolloutId, RolloutMemberStatus.WAITING, null,
                    deferred, BATCH);
            more = waiting.size() == BATCH;
            List<RolloutMember> changed = new ArrayList<>();
            for (RolloutMember m : waiting) {
                if (m.wave() > r.currentWave() || slots <= 0 || !ctx.clock().instant().isBefore(stopBy)) {
                    more = false;
                    break;
                }
                MemberStarter.Outcome outcome = starter.start(r.jobs(), m, now);
                if (outcome.deferredBecause() != null) {
                    deferred++;
                    continue;
                }
                changed.add(outcome.member());
                if (outcome.member().status() == RolloutMemberStatus.STARTED) {
                    slots--;
                } else {
                    events.add(RolloutEvent.of(rolloutId, now, RolloutEventType.MEMBER_REFUSED, "tenant "
                            + m.tenantId() + ": " + outcome.member().errorMessage(), Map.of("tenant_id",
                            m.tenantId(), "error_code", String.valueOf(outcome.member().errorCode()))));
                }
            }
            if (!changed.isEmpty()) {
                ctx.rollouts().updateMembers(changed);
            }
        }
        if (deferred > 0) {
            log.info("rollout {}: {} tenant(s) have an active job of their own; retried at the next look", rolloutId,
                    deferred);
        }
    }

    private void skipWaiting(String rolloutId, Instant now) {
        while (true) {
            List<RolloutMember> waiting = ctx.rollouts().members(rolloutId, RolloutMemberStatus.WAITING, null, 0,
                    BATCH);
            if (waiting.isEmpty()) {
                return;
            }
            ctx.rollouts().updateMembers(waiting.stream().map(m -> m.ended(RolloutMemberStatus.SKIPPED, null,
                    "the rollout was aborted", now)).toList());
        }
    }

    private @Nullable RolloutMember firstWaiting(String rolloutId) {
        List<RolloutMember> first = ctx.rollouts().members(rolloutId, RolloutMemberStatus.WAITING, null, 0, 1);
        return first.isEmpty() ? null : first.get(0);
    }

    private String thresholdReason(Rollout r, long failed, long finished) {
        List<RolloutMember> failures = ctx.rollouts().members(r.id(), RolloutMemberStatus.FAILED, null, 0,
                FAILURES_NAMED);
        StringBuilder reason = new StringBuilder(r.plan().failureThreshold().describe()).append(": ").append(failed)
                .append(" of ").append(finished).append(" finished jobs failed (");
        for (int i = 0; i < failures.size(); i++) {
            RolloutMember m = failures.get(i);
            reason.append(i == 0 ? "" : "; ").append(m.tenantId()).append(": ").append(m.errorCode());
        }
        return reason.append(failed > failures.size() ? "; ..." : "").append(")").toString();
    }

    private void write(StoredRollout s, Rollout next, @Nullable Instant nextCheck, List<RolloutEvent> events) {
        try {
            ctx.rollouts().commit(s.withRollout(next).withLease(null, null).withNextCheckAt(nextCheck), events);
        } catch (StaleRolloutException stale) {
            // an operator paused, resumed or aborted it meanwhile: their change stands; give the lease back
            ctx.rollouts().find(s.id()).filter(fresh -> ctx.nodeId().equals(fresh.leaseOwner()))
                    .ifPresent(fresh -> ctx.rollouts().commit(fresh.withLease(null, null), List.of()));
        }
    }

    /** The rollout moved along its table, with a status-change event. */
    static Rollout moved(Rollout r, RolloutTransition t, @Nullable String reason, Instant now,
            List<RolloutEvent> events) {
        RolloutStatus to = t.apply(r.status());
        events.add(new RolloutEvent(r.id(), now, RolloutEventType.STATUS_CHANGED, r.status(), to,
                "rollout " + to.wireName() + (reason == null ? "" : ": " + reason), Map.of("transition",
                        t.name().toLowerCase(java.util.Locale.ROOT))));
        return new Rollout(r.id(), r.jobs(), r.selection(), r.plan(), to, reason, r.waveSizes(), r.currentWave(),
                r.members(), r.createdAt(), now, to.isTerminal() ? now : null);
    }

    private static Rollout withWave(Rollout r, int wave, Instant now) {
        return new Rollout(r.id(), r.jobs(), r.selection(), r.plan(), r.status(), r.statusReason(), r.waveSizes(),
                wave, r.members(), r.createdAt(), now, r.finishedAt());
    }

    private static long count(Map<RolloutMemberStatus, Long> counts, RolloutMemberStatus status) {
        return counts.getOrDefault(status, 0L);
    }
}
