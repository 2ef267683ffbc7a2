package com.dotmac.provisioning.internal.engine;

import com.dotmac.provisioning.JobEvent;
import com.dotmac.provisioning.JobEventType;
import com.dotmac.provisioning.TenantDirectoryBacklog;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The tenant directory's refusals in a row, per job: how many, since when, and which of them get an event. A job's
 * streak counts the refusals of one tenant status until the directory accepts it; it decides the retry delay (the
 * engine's back-off by the streak's length) and which refusals are written as {@code tenant_status_failed} events:
 *
 * <ul>
 *   <li>the first refusal, and each refusal whose back-off ceiling is longer than the one before (while the delay
 *       still grows: with the defaults 10 s, 20 s, ... 5 min, six events);</li>
 *   <li>then, at the longest delay, one in every {@link #EVENT_EVERY} refusals (with the defaults one an hour);</li>
 *   <li>the acceptance ({@code tenant_status_applied}) names the count and the first refusal's time.</li>
 * </ul>
 *
 * Every event carries {@code refusals} and {@code refusing_since}. The streak lives in this node's memory; a node
 * that meets a job it has no streak for (a restart, a job another node retried) continues the count from the job's
 * last {@code tenant_status_failed} event, so the count is a lower bound and the events stay collapsed across nodes.
 * The same streaks answer {@link #backlog}: this node's view of the jobs that wait on the directory.
 *
 * <p>Thread-safe: a concurrent map of immutable streaks; one job is worked on by one thread at a time (its lease),
 * so a job's streak is never updated by two threads at once, while {@link #backlog} reads from any thread.
 */
final class DirectoryRefusals {
    /** At the longest back-off delay, one refusal in this many gets an event. */
    static final int EVENT_EVERY = 12;

    private static final int MAX_TRACKED = 10_000;

    private final EngineContext ctx;
    private final Map<String, Streak> streaks = new ConcurrentHashMap<>();

    DirectoryRefusals(EngineContext ctx) {
        this.ctx = ctx;
    }

    /**
     * A job's refusals in a row of one tenant status.
     *
     * @param tenantStatus the refused status
     * @param count refusals so far (a lower bound after a node change)
     * @param since when the first was
     * @param last when this node saw the last one
     * @param countAtLastEvent the count the last event recorded
     * @param eventDue whether the last refusal gets an event
     */
    record Streak(String tenantStatus, int count, Instant since, Instant last, int countAtLastEvent,
            boolean eventDue) {

        /** @return the event data that describes the streak */
        Map<String, Object> data() {
            return Map.of("tenant_status", tenantStatus, "refusals", count, "refusing_since", since.toString());
        }
    }

    /**
     * Records a refusal.
     *
     * @return the streak with this refusal counted; its {@link Streak#eventDue} says whether to write an event
     */
    Streak refused(String jobId, String tenantStatus, Instant now) {
        if (streaks.size() > MAX_TRACKED) {
            streaks.values().removeIf(s -> stale(s, now)); // jobs another node finished
        }
        Streak known = current(jobId, tenantStatus, now);
        Streak base = known != null ? known : resumed(jobId, tenantStatus, now);
        int n = base.count() + 1;
        boolean eventDue = base.count() == 0
                || ceiling(n).compareTo(ceiling(n - 1)) > 0
                || n - base.countAtLastEvent() >= EVENT_EVERY;
        Streak next = new Streak(tenantStatus, n, base.since(), now, eventDue ? n : base.countAtLastEvent(), eventDue);
        streaks.put(jobId, next);
        return next;
    }

    /**
     * Ends a job's streak: the directory accepted its status, or a newer job made it moot.
     *
     * @param lookUp whether to look in the job's events when this node has no streak (a refused status another
     *     node counted)
     * @return the streak that ended, or null when there was none
     */
    @Nullable Streak ended(String jobId, String tenantStatus, Instant now, boolean lookUp) {
        Streak known = streaks.remove(jobId);
        if (known != null && known.tenantStatus().equals(tenantStatus)) {
            return known;
        }
        if (!lookUp) {
            return null;
        }
        Streak resumed = resumed(jobId, tenantStatus, now);
        return resumed.count() == 0 ? null : resumed;
    }

    /** @return the jobs this node saw refused recently, and since when the oldest of them waits */
    TenantDirectoryBacklog backlog(Instant now) {
        int waiting = 0;
        Instant oldest = null;
        for (Streak s : streaks.values()) {
            if (stale(s, now)) {
                continue;
            }
            waiting++;
            if (oldest == null || s.since().isBefore(oldest)) {
                oldest = s.since();
            }
        }
        return waiting == 0 ? TenantDirectoryBacklog.NONE : new TenantDirectoryBacklog(waiting, oldest);
    }

    private @Nullable Streak current(String jobId, String tenantStatus, Instant now) {
        Streak s = streaks.get(jobId);
        return s != null && s.tenantStatus().equals(tenantStatus) && !stale(s, now) ? s : null;
    }

    /**
     * A streak not refreshed for longer than a job can wait between two attempts (the longest delay, then a lease
     * and a sweep): another node retries the job now, or it ended there.
     */
    private boolean stale(Streak s, Instant now) {
        Duration wait = ctx.settings().retryMaxDelay().plus(ctx.settings().leaseDuration())
                .plus(ctx.settings().sweepInterval().multipliedBy(2));
        return s.last().plus(wait).isBefore(now);
    }

    /** The streak recorded by the job's last tenant-status event, when it is a refusal of the same status. */
    private Streak resumed(String jobId, String tenantStatus, Instant now) {
        List<JobEvent> events = ctx.repository().events(jobId);
        for (int i = events.size() - 1; i >= 0; i--) {
            JobEvent e = events.get(i);
            if (e.type() == JobEventType.TENANT_STATUS_APPLIED || e.type() == JobEventType.TENANT_STATUS_SUPERSEDED
                    || e.type() == JobEventType.STATUS_CHANGED) {
                break;
            }
            if (e.type() == JobEventType.TENANT_STATUS_FAILED) {
                Object status = e.data().get("tenant_status");
                Object count = e.data().get("refusals");
                Instant since = instant(e.data().get("refusing_since"));
                if (tenantStatus.equals(status) && count instanceof Number n && n.intValue() > 0 && since != null) {
                    return new Streak(tenantStatus, n.intValue(), since, now, n.intValue(), false);
                }
                break;
            }
        }
        return new Streak(tenantStatus, 0, now, now, 0, false);
    }

    private static @Nullable Instant instant(@Nullable Object value) {
        if (value instanceof String text) {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        return null;
    }

    private Duration ceiling(int refusal) {
        return ctx.settings().retryBackoff().ceiling(refusal);
    }
}
