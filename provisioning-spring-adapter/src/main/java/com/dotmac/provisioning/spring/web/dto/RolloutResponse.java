package com.dotmac.provisioning.spring.web.dto;

import com.dotmac.provisioning.rollout.FailureThreshold;
import com.dotmac.provisioning.rollout.MemberJobSpec;
import com.dotmac.provisioning.rollout.Rollout;
import com.dotmac.provisioning.rollout.RolloutMemberStatus;
import com.dotmac.provisioning.rollout.RolloutPlan;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A rollout as the REST API shows it. Times are ISO-8601 instants, durations ISO-8601 durations.
 *
 * @param id the rollout's id
 * @param status {@code running}, {@code paused}, {@code aborting}, {@code completed} or {@code aborted}
 * @param statusReason why it is paused, aborting or aborted (e.g. the threshold crossed, with the failed tenants)
 * @param operation what every tenant's job does
 * @param deploymentMode for a provision rollout, {@code dotmac_hosted}; else null
 * @param releaseVersion the release, if any
 * @param extraVars the playbook variables of every tenant's job
 * @param awxTemplateId the template override, if any
 * @param requestedBy who started it
 * @param selection how its tenants were chosen, e.g. {@code 1000 listed} or {@code status provisioned}
 * @param plan its plan, as requested
 * @param waveSizes tenants per wave (the canary's first, when there is one)
 * @param currentWave the wave whose tenants start now (0 first)
 * @param totalTenants how many tenants it has
 * @param tenants how many of them stand where, by status ({@code waiting}, {@code started}, {@code succeeded},
 *     {@code failed}, {@code skipped}; every status present)
 * @param createdAt when it was started
 * @param updatedAt when it last changed
 * @param finishedAt when it completed or was aborted
 */
public record RolloutResponse(String id, String status, @Nullable String statusReason, String operation,
        @Nullable String deploymentMode, @Nullable String releaseVersion, Map<String, Object> extraVars,
        @Nullable Long awxTemplateId, String requestedBy, String selection, PlanView plan, List<Integer> waveSizes,
        int currentWave, long totalTenants, Map<String, Long> tenants, String createdAt, String updatedAt,
        @Nullable String finishedAt) implements ApiBody {

    /**
     * A rollout's plan.
     *
     * @param canary tenants in the first wave
     * @param waves the waves after the canary, by size or by percentage (the other empty)
     * @param maxParallel the rollout's jobs in flight at once
     * @param failureThreshold when failures pause it (the unused member null)
     * @param pauseBetweenWaves the wait between waves (ISO-8601)
     */
    public record PlanView(int canary, WavesView waves, int maxParallel, ThresholdView failureThreshold,
            String pauseBetweenWaves) {
        static PlanView of(RolloutPlan plan) {
            FailureThreshold t = plan.failureThreshold();
            return new PlanView(plan.canary(), new WavesView(plan.waveSizes(), plan.wavePercents()),
                    plan.maxParallel(), new ThresholdView(t.maxFailures() < 0 ? null : t.maxFailures(),
                            t.maxFailedPercent() < 0 ? null : t.maxFailedPercent()),
                    plan.pauseBetweenWaves().toString());
        }
    }

    /**
     * @param sizes tenants per wave after the canary, or empty
     * @param percents percentage per wave after the canary, or empty
     */
    public record WavesView(List<Integer> sizes, List<Integer> percents) {
    }

    /**
     * @param maxFailures failed jobs tolerated, or null
     * @param maxFailedPercent failed share of finished jobs tolerated, or null
     */
    public record ThresholdView(@Nullable Integer maxFailures, @Nullable Integer maxFailedPercent) {
    }

    /**
     * @param rollout a rollout
     * @return its wire form
     */
    public static RolloutResponse of(Rollout rollout) {
        MemberJobSpec jobs = rollout.jobs();
        Map<String, Long> counts = new LinkedHashMap<>();
        for (RolloutMemberStatus s : RolloutMemberStatus.values()) {
            counts.put(s.wireName(), rollout.members().getOrDefault(s, 0L));
        }
        return new RolloutResponse(rollout.id(), rollout.status().wireName(), rollout.statusReason(),
                jobs.operation().wireName(), jobs.deploymentMode() == null ? null : jobs.deploymentMode().wireName(),
                jobs.releaseVersion(), jobs.extraVars(), jobs.templateId(), jobs.requestedBy(), rollout.selection(),
                PlanView.of(rollout.plan()), rollout.waveSizes(), rollout.currentWave(), rollout.memberCount(),
                counts, String.valueOf(rollout.createdAt()), String.valueOf(rollout.updatedAt()),
                JobResponse.time(rollout.finishedAt()));
    }
}
