package com.dotmac.provisioning.internal.rollout;

import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.rollout.RolloutMember;
import com.dotmac.provisioning.rollout.RolloutMemberStatus;
import com.dotmac.provisioning.spi.StoredJob;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Follows the jobs of a rollout's started members: reads them in batches and records the outcome of each that ended
 * (its job's status, error code and message). Stateless and thread-safe.
 */
final class MemberOutcomes {
    /** Started members read (and their jobs looked up) per batch. */
    static final int BATCH = 500;
    /** The code of a member whose job is gone (deleted by retention before the rollout saw it end). */
    static final String JOB_NOT_FOUND = "JOB_NOT_FOUND";

    private final RolloutContext ctx;

    MemberOutcomes(RolloutContext ctx) {
        this.ctx = ctx;
    }

    /**
     * @param rolloutId the rollout
     * @param now the time
     * @return the members whose job ended since the last look (already written)
     */
    List<RolloutMember> refresh(String rolloutId, Instant now) {
        List<RolloutMember> ended = new ArrayList<>();
        int offset = 0;
        while (true) {
            List<RolloutMember> started = ctx.rollouts().members(rolloutId, RolloutMemberStatus.STARTED, null, offset,
                    BATCH);
            if (started.isEmpty()) {
                break;
            }
            Map<String, ProvisioningJob> jobs = ctx.jobs().findAll(started.stream().map(m -> jobIdOf(m)).toList())
                    .stream().map(StoredJob::job).collect(Collectors.toMap(ProvisioningJob::id, Function.identity()));
            List<RolloutMember> changed = new ArrayList<>();
            for (RolloutMember m : started) {
                ProvisioningJob job = jobs.get(jobIdOf(m));
                if (job == null) {
                    changed.add(m.ended(RolloutMemberStatus.FAILED, JOB_NOT_FOUND, "job " + m.jobId()
                            + " no longer exists (deleted by retention?)", now));
                } else if (job.status().isTerminal()) {
                    changed.add(job.status() == JobStatus.SUCCEEDED
                            ? m.ended(RolloutMemberStatus.SUCCEEDED, null, null, now)
                            : m.ended(RolloutMemberStatus.FAILED, job.errorCode() != null ? job.errorCode()
                                    : job.status().wireName().toUpperCase(java.util.Locale.ROOT), job.errorMessage(),
                                    now));
                }
            }
            if (!changed.isEmpty()) {
                ctx.rollouts().updateMembers(changed);
                ended.addAll(changed);
            }
            // the members that ended left the STARTED filter, so the next page starts later by the others only
            offset += started.size() - changed.size();
            if (started.size() < BATCH) {
                break;
            }
        }
        return ended;
    }

    private static String jobIdOf(RolloutMember m) {
        return java.util.Objects.requireNonNull(m.jobId(), "a started member has a job");
    }
}
