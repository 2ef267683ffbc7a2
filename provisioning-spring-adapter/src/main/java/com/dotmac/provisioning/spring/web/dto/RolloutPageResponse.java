package com.dotmac.provisioning.spring.web.dto;

import com.dotmac.provisioning.rollout.RolloutPage;
import java.util.List;

/**
 * A page of rollouts, newest first.
 *
 * @param items the rollouts of this page
 * @param total how many rollouts there are
 * @param page the page number, from 1
 * @param pageSize the page's size
 */
public record RolloutPageResponse(List<RolloutResponse> items, long total, long page, long pageSize)
        implements ApiBody {
    /**
     * @param page a page of rollouts (numbered from 1)
     * @return its wire form
     */
    public static RolloutPageResponse of(RolloutPage page) {
        return new RolloutPageResponse(page.items().stream().map(RolloutResponse::of).toList(), page.total(),
                page.page(), page.pageSize());
    }
}
