package com.dotmac.provisioning.spring.actuate;

import com.dotmac.provisioning.rollout.Rollout;
import com.dotmac.provisioning.rollout.RolloutMemberStatus;
import com.dotmac.provisioning.rollout.RolloutPage;
import com.dotmac.provisioning.rollout.RolloutStatus;
import com.dotmac.provisioning.spi.RolloutRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer metrics of rollouts: the gauge {@code provisioning.rollouts} (tag {@code status}: how many rollouts stand
 * in each status, across all nodes, read from the repository at most once per {@code refreshAfter}) and the counter
 * {@code provisioning.rollouts.tenants.finished} (tag {@code status}: {@code succeeded}, {@code failed} or
 * {@code skipped}: the tenant outcomes this node recorded, through {@link #metered}; a failed tenant that a resume
 * skips counts as skipped too). Thread-safe: the counts are replaced as a whole, under {@code this}.
 */
public final class RolloutMetrics {
    /** How long the rollout counts are reused between scrapes by default: 10 seconds. */
    public static final Duration DEFAULT_REFRESH_AFTER = Duration.ofSeconds(10);

    private static final int PAGE_SIZE = 100;
    /** The most rollouts counted (newest first): 100,000. */
    private static final int MAX_PAGES = 1_000;

    private final RolloutRepository repository;
    private final Clock clock;
    private final Duration refreshAfter;
    private final Map<RolloutMemberStatus, Counter> finished = new EnumMap<>(RolloutMemberStatus.class);
    private @Nullable Map<RolloutStatus, Long> counts;
    private @Nullable Instant countedAt;

    /**
     * Registers the meters.
     *
     * @param registry where the meters live
     * @param repository where the rollouts are (read for the gauges)
     * @param clock when the counts were read
     * @param refreshAfter how long counts are reused (zero: read on every gauge read)
     */
    public RolloutMetrics(MeterRegistry registry, RolloutRepository repository, Clock clock, Duration refreshAfter) {
        this.repository = repository;
        this.clock = clock;
        this.refreshAfter = refreshAfter;
        for (RolloutStatus status : RolloutStatus.values()) {
            Gauge.builder(ProvisioningMetrics.PREFIX + ".rollouts", this, m -> m.count(status))
                    .description("rollouts in this status, across all nodes").tag("status", status.wireName())
                    .register(registry);
        }
        for (RolloutMemberStatus outcome : new RolloutMemberStatus[] {RolloutMemberStatus.SUCCEEDED,
                RolloutMemberStatus.FAILED, RolloutMemberStatus.SKIPPED}) {
            finished.put(outcome, Counter.builder(ProvisioningMetrics.PREFIX + ".rollouts.tenants.finished")
                    .description("rollout tenants whose part ended, by outcome").tag("status", outcome.wireName())
                    .register(registry));
        }
    }

    /**
     * @param delegate the rollout repository the provisioner is to use
     * @return the same repository, counting the tenant outcomes it records
     */
    public RolloutRepository metered(RolloutRepository delegate) {
        return new MeteredRolloutRepository(delegate, this::tenantFinished);
    }

    private void tenantFinished(RolloutMemberStatus outcome) {
        Counter counter = finished.get(outcome);
        if (counter != null) {
            counter.increment();
        }
    }

    private synchronized double count(RolloutStatus status) {
        Instant now = clock.instant();
        Map<RolloutStatus, Long> current = counts;
        Instant at = countedAt;
        if (current == null || at == null || !now.isBefore(at.plus(refreshAfter))) {
            try {
                current = readCounts();
            } catch (RuntimeException e) {
                return Double.NaN;
            }
            counts = current;
            countedAt = now;
        }
        return current.getOrDefault(status, 0L);
    }

    private Map<RolloutStatus, Long> readCounts() {
        Map<RolloutStatus, Long> read = new EnumMap<>(RolloutStatus.class);
        for (int page = 0; page < MAX_PAGES; page++) {
            RolloutPage rollouts = repository.page(page, PAGE_SIZE);
            for (Rollout r : rollouts.items()) {
                read.merge(r.status(), 1L, Long::sum);
            }
            if (rollouts.items().size() < PAGE_SIZE || (page + 1L) * PAGE_SIZE >= rollouts.total()) {
                break;
            }
        }
        return read;
    }
}
