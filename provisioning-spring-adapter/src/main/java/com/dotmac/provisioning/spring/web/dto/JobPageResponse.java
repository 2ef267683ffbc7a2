package com.dotmac.provisioning.spring.web.dto;

import com.dotmac.provisioning.JobPage;
import java.util.List;

/**
 * A page of a tenant's jobs, newest first.
 *
 * @param items the jobs of this page
 * @param total how many jobs the tenant has
 * @param page the page number, from 1
 * @param pageSize the page's size
 */
public record JobPageResponse(List<JobResponse> items, long total, long page, long pageSize) implements ApiBody {
    /**
     * @param page a page of jobs
     * @param withProfiles whether the caller may see connection profiles
     * @return its wire form
     */
    public static JobPageResponse of(JobPage page, boolean withProfiles) {
        return new JobPageResponse(page.items().stream().map(j -> JobResponse.of(j, withProfiles)).toList(),
                page.total(), page.page(), page.pageSize());
    }
}
