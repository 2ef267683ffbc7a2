package com.dotmac.provisioning;

import java.util.List;

/**
 * One page of a tenant's jobs, newest first.
 *
 * @param items the jobs on this page
 * @param total how many jobs the tenant has in all
 * @param page this page's number, from 1
 * @param pageSize the requested page size
 */
public record JobPage(List<ProvisioningJob> items, long total, int page, int pageSize) {
    /** Copies the items. */
    public JobPage {
        items = List.copyOf(items);
    }
}
