package com.dotmac.provisioning.rollout;

import java.util.List;

/**
 * One page of rollouts, newest first. Immutable and thread-safe.
 *
 * @param items the rollouts
 * @param total how many rollouts there are
 * @param page this page, 0-based
 * @param pageSize the page size asked for
 */
public record RolloutPage(List<Rollout> items, long total, int page, int pageSize) {
    /** Copies the items. */
    public RolloutPage {
        items = List.copyOf(items);
    }
}
