package com.dotmac.provisioning.spring.web.dto;

import com.dotmac.provisioning.rollout.RolloutMember;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A page of a rollout's tenants, in rollout order, each with its job and outcome.
 *
 * @param rolloutId the rollout
 * @param items the tenants of this page
 * @param total how many tenants match (all of the rollout's, or those in the status asked for)
 * @param page the page number, from 1
 * @param pageSize the page's size
 */
public record RolloutTenantsResponse(String rolloutId, List<Tenant> items, long total, long page, long pageSize)
        implements ApiBody {

    /**
     * @param rolloutId the rollout
     * @param members a page of its members
     * @param total how many match
     * @param page the page number
     * @param pageSize the page's size
     * @return their wire form
     */
    public static RolloutTenantsResponse of(String rolloutId, List<RolloutMember> members, long total, int page,
            int pageSize) {
        return new RolloutTenantsResponse(rolloutId, members.stream().map(Tenant::of).toList(), total, page,
                pageSize);
    }

    /**
     * One tenant of a rollout.
     *
     * @param tenantId the tenant
     * @param position its place in the rollout (0 first)
     * @param wave its wave (0 first)
     * @param attempt how many times a resume retried it
     * @param status {@code waiting}, {@code started}, {@code succeeded}, {@code failed} or {@code skipped}
     * @param jobId its job for this rollout, once requested
     * @param errorCode why it failed, if it did
     * @param errorMessage the failure for an operator; never a secret
     * @param updatedAt when it last changed
     */
    public record Tenant(String tenantId, int position, int wave, int attempt, String status,
            @Nullable String jobId, @Nullable String errorCode,
            @Nullable String errorMessage, String updatedAt) {
        static Tenant of(RolloutMember m) {
            return new Tenant(m.tenantId(), m.position(), m.wave(), m.attempt(), m.status().wireName(), m.jobId(),
                    m.errorCode(), m.errorMessage(), String.valueOf(m.updatedAt()));
        }
    }
}
