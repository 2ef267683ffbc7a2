package com.dotmac.provisioning.internal.rollout;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.InvalidRequestException;
import com.dotmac.provisioning.rollout.Rollout;
import com.dotmac.provisioning.rollout.RolloutEvent;
import com.dotmac.provisioning.rollout.RolloutEventType;
import com.dotmac.provisioning.rollout.RolloutMember;
import com.dotmac.provisioning.rollout.RolloutMemberStatus;
import com.dotmac.provisioning.rollout.RolloutNotFoundException;
import com.dotmac.provisioning.rollout.RolloutPage;
import com.dotmac.provisioning.rollout.RolloutPlan;
import com.dotmac.provisioning.rollout.RolloutRequest;
import com.dotmac.provisioning.rollout.RolloutStatus;
import com.dotmac.provisioning.rollout.RolloutSubmission;
import com.dotmac.provisioning.rollout.RolloutTransition;
import com.dotmac.provisioning.rollout.Rollouts;
import com.dotmac.provisioning.rollout.TenantSelection;
import com.dotmac.provisioning.rules.FieldErrors;
import com.dotmac.provisioning.rules.InputRules;
import com.dotmac.provisioning.spi.StaleRolloutException;
import com.dotmac.provisioning.spi.StoredRollout;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Rollouts} calls: checks a rollout request against the tenants and stores it with its members; reads;
 * and the operators' pause, resume and abort, each a version-checked write of the rollout with an event (retried when
 * a node's look wrote the rollout meanwhile). Thread-safe; stateless apart from its context.
 */
public final class RolloutCommands implements Rollouts {
    private static final Logger log = LoggerFactory.getLogger(RolloutCommands.class);
    private static final int WRITE_ATTEMPTS = 5;
    private static final int MAX_PAGE_SIZE = 100;
    private static final int MAX_MEMBER_PAGE_SIZE = 1000;

    private final RolloutContext ctx;

    /** @param ctx what the rollout engine works with */
    public RolloutCommands(RolloutContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public RolloutSubmission submit(RolloutRequest request) {
        String key = request.idempotencyKey();
        if (key != null) {
            // a repeated request gets the first rollout, whatever became of its tenants since
            Optional<StoredRollout> first = ctx.rollouts().findByIdempotencyKey(key);
            if (first.isPresent()) {
                return new RolloutSubmission(first.get().rollout(), false);
            }
        }
        List<String> tenantIds = resolve(request.tenants());
        // the host's allow-lists, as for a single request: a refused variable fails the request, not every member
        ctx.memberJobs().checkAllowed(request.jobs().memberRequest(tenantIds.get(0), DeploymentMode.DOTMAC_HOSTED,
                null, "rollout-check"));
        List<Integer> waves = request.plan().waveSizesFor(tenantIds.size());
        Instant now = ctx.clock().instant();
        String id = UUID.randomUUID().toString();
        List<RolloutMember> members = new ArrayList<>(tenantIds.size());
        int wave = 0;
        int inWave = 0;
        for (int i = 0; i < tenantIds.size(); i++) {
            while (inWave >= waves.get(wave)) {
                wave++;
                inWave = 0;
            }
            members.add(RolloutMember.waiting(id, tenantIds.get(i), i, wave, now));
            inWave++;
        }
        String selection = request.tenants() instanceof TenantSelection.InStatus s ? "status " + s.status()
                : tenantIds.size() + " listed";
        Rollout rollout = new Rollout(id, request.jobs(), selection, request.plan(), RolloutStatus.RUNNING, null,
                waves, 0, Map.of(), now, now, null);
        RolloutEvent created = new RolloutEvent(id, now, RolloutEventType.CREATED, null, RolloutStatus.RUNNING,
                request.jobs().operation().wireName() + " rollout of " + tenantIds.size() + " tenants in "
                        + waves.size() + " wave" + (waves.size() == 1 ? "" : "s") + " " + waves + ", at most "
                        + request.plan().maxParallel() + " at once, requested by " + request.jobs().requestedBy(),
                Map.of("tenants", (long) tenantIds.size(), "waves", waves.stream().map(Integer::longValue).toList()));
        StoredRollout stored = ctx.rollouts().create(new StoredRollout(rollout, 0, null, null, now, key), members,
                List.of(created));
        if (!stored.id().equals(id)) {
            // a request with the same key stored its rollout first, at the same moment
            return new RolloutSubmission(stored.rollout(), false);
        }
        log.info("rollout {}: {}", id, created.message());
        return new RolloutSubmission(stored.rollout(), true);
    }

    @Override
    public Optional<Rollout> find(String rolloutId) {
        return ctx.rollouts().find(rolloutId).map(StoredRollout::rollout);
    }

    @Override
    public RolloutPage page(int page, int pageSize) {
        checkPage(page, pageSize, MAX_PAGE_SIZE);
        RolloutPage zeroBased = ctx.rollouts().page(page - 1, pageSize);
        return new RolloutPage(zeroBased.items(), zeroBased.total(), page, pageSize);
    }

    @Override
    public List<RolloutMember> members(String rolloutId, @Nullable RolloutMemberStatus status, int page,
            int pageSize) {
        checkPage(page, pageSize, MAX_MEMBER_PAGE_SIZE);
        stored(rolloutId);
        return ctx.rollouts().members(rolloutId, status, null, (page - 1) * pageSize, pageSize);
    }

    @Override
    public List<RolloutEvent> events(String rolloutId) {
        stored(rolloutId);
        return ctx.rollouts().events(rolloutId);
    }

    @Override
    public Rollout pause(String rolloutId, String requestedBy) {
        return move(rolloutId, RolloutTransition.PAUSED, "paused by " + checked(requestedBy), r -> r);
    }

    @Override
    public Rollout resume(String rolloutId, String requestedBy, FailedMembers failed) {
        String by = checked(requestedBy);
        StoredRollout s = stored(rolloutId);
        RolloutTransition.RESUMED.apply(s.rollout().status());
        // the failed members first: were the rollout running again before, their failures would pause it at once
        Instant now = ctx.clock().instant();
        int changed = 0;
        while (true) {
            List<RolloutMember> batch = ctx.rollouts().members(rolloutId, RolloutMemberStatus.FAILED, null, 0, 500);
            if (batch.isEmpty()) {
                break;
            }
            ctx.rollouts().updateMembers(batch.stream().map(m -> failed == FailedMembers.RETRY ? m.waitingAgain(now)
                    : m.ended(RolloutMemberStatus.SKIPPED, m.errorCode(), m.errorMessage(), now)).toList());
            changed += batch.size();
        }
        String reason = "resumed by " + by + (changed == 0 ? "" : failed == FailedMembers.RETRY ? "; retrying "
                + changed + " failed tenant" + (changed == 1 ? "" : "s") : "; skipping " + changed + " failed tenant"
                + (changed == 1 ? "" : "s"));
        return move(rolloutId, RolloutTransition.RESUMED, reason, r -> r);
    }

    @Override
    public Rollout abort(String rolloutId, String requestedBy, boolean cancelRunningJobs) {
        String by = checked(requestedBy);
        Rollout aborting = move(rolloutId, RolloutTransition.ABORT_REQUESTED, "aborted by " + by
                + (cancelRunningJobs ? "; its jobs in flight are cancelled" : "; its jobs in flight run to their end"),
                r -> r);
        if (cancelRunningJobs) {
            int offset = 0;
            while (true) {
                List<RolloutMember> started = ctx.rollouts().members(rolloutId, RolloutMemberStatus.STARTED, null,
                        offset, 500);
                for (RolloutMember m : started) {
                    try {
                        ctx.memberJobs().cancel(java.util.Objects.requireNonNull(m.jobId()), by, "rollout "
                                + rolloutId + " aborted");
                    } catch (RuntimeException e) {
                        log.debug("rollout {}: job {} not cancelled: {}", rolloutId, m.jobId(), e.toString());
                    }
                }
                if (started.size() < 500) {
                    break;
                }
                offset += started.size();
            }
        }
        return aborting;
    }

    /** Moves a rollout along its table with an event, retrying when a node's look wrote it meanwhile. */
    private Rollout move(String rolloutId, RolloutTransition t, String reason, UnaryOperator<Rollout> also) {
        for (int attempt = 1; ; attempt++) {
            StoredRollout s = stored(rolloutId);
            List<RolloutEvent> events = new ArrayList<>();
            Rollout moved = also.apply(RolloutStep.moved(s.rollout(), t, reason, ctx.clock().instant(), events));
            try {
                // looked at soon, by whichever node sweeps next
                return ctx.rollouts().commit(s.withRollout(moved).withNextCheckAt(ctx.clock().instant()), events)
                        .rollout();
            } catch (StaleRolloutException stale) {
                if (attempt >= WRITE_ATTEMPTS) {
                    throw stale;
                }
            }
        }
    }

    private StoredRollout stored(String rolloutId) {
        return ctx.rollouts().find(rolloutId).orElseThrow(() -> new RolloutNotFoundException(rolloutId));
    }

    private List<String> resolve(TenantSelection selection) {
        FieldErrors errors = new FieldErrors();
        if (selection instanceof TenantSelection.Listed listed) {
            Set<String> known = ctx.tenants().findAll(listed.tenantIds()).keySet();
            List<String> unknown = listed.tenantIds().stream().filter(id -> !known.contains(id)).toList();
            if (!unknown.isEmpty()) {
                errors.add("tenants", "names tenants that do not exist: " + String.join(", ",
                        unknown.subList(0, Math.min(unknown.size(), 20))) + (unknown.size() > 20 ? " and "
                        + (unknown.size() - 20) + " more" : ""));
                errors.throwIfAny();
            }
            return listed.tenantIds();
        }
        TenantSelection.InStatus inStatus = (TenantSelection.InStatus) selection;
        List<String> ids;
        try {
            ids = ctx.tenants().idsInStatus(inStatus.status(), RolloutPlan.MAX_MEMBERS + 1);
        } catch (UnsupportedOperationException e) {
            throw new InvalidRequestException("selection.status", "the tenant directory cannot select tenants by"
                    + " status; list the tenants instead");
        }
        if (ids.isEmpty()) {
            errors.add("selection.status", "selects no tenant: none is " + inStatus.status());
        } else if (ids.size() > RolloutPlan.MAX_MEMBERS) {
            errors.add("selection.status", "selects more than " + RolloutPlan.MAX_MEMBERS + " tenants; a rollout"
                    + " takes at most " + RolloutPlan.MAX_MEMBERS);
        }
        errors.throwIfAny();
        return ids;
    }

    private static void checkPage(int page, int pageSize, int maxPageSize) {
        FieldErrors errors = new FieldErrors();
        if (page < 1) {
            errors.add("page", "must be 1 or more, not " + page);
        }
        if (pageSize < 1 || pageSize > maxPageSize) {
            errors.add("page_size", "must be between 1 and " + maxPageSize + ", not " + pageSize);
        }
        errors.throwIfAny();
    }

    private static String checked(String requestedBy) {
        String problem = InputRules.text(requestedBy, InputRules.MAX_TEXT_LENGTH);
        if (problem != null) {
            throw new InvalidRequestException("requested_by", problem);
        }
        return requestedBy;
    }
}
