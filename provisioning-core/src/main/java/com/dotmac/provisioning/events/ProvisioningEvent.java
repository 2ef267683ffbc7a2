package com.dotmac.provisioning.events;

import com.dotmac.provisioning.JobEvent;
import com.dotmac.provisioning.JobEventType;
import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.rollout.RolloutEvent;
import com.dotmac.provisioning.rollout.RolloutEventType;
import com.dotmac.provisioning.rollout.RolloutStatus;
import com.dotmac.provisioning.rules.JsonValues;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One event out of the library, as the outbox stores it and an {@link EventConsumer} receives it: a job's status
 * changed (its creation included), or a rollout's. Delivery is at least once: a consumer may see the same event again (after a crash
 * or a failed delivery), always with the same {@link #id()}, so it deduplicates by id. Immutable and thread-safe.
 *
 * <p>Types: {@code job.queued} (the job was created), {@code job.in_progress}, {@code job.succeeded},
 * {@code job.failed}, {@code job.cancelled}, {@code job.timed_out}: {@value #JOB_TYPE_PREFIX} and the new status's
 * wire name; for a rollout, {@value #ROLLOUT_TYPE_PREFIX} and its new status's wire name ({@code rollout.running},
 * {@code rollout.paused}, {@code rollout.completed}, ...).
 *
 * <p>Order: events with the same {@link #orderKey()} (a tenant's job events; a rollout's events) are delivered in the
 * order they were stored.
 *
 * @param id the stable event id (a UUID), the same on every delivery of this event
 * @param type what happened, e.g. {@code job.succeeded}
 * @param tenantId the tenant a job event is about; null for a rollout event (a rollout spans tenants)
 * @param jobId the job, for a job event; null otherwise
 * @param rolloutId the rollout, for a rollout event; null otherwise
 * @param at when it happened
 * @param data JSON-shaped details: {@code operation}, {@code from} (absent for {@code job.queued}), {@code to},
 *     {@code message}, the timeline entry's own data under {@code details} when it has any, and for a job event
 *     {@value #TRACEPARENT} (the W3C traceparent of the job's request) when the request was traced
 */
public record ProvisioningEvent(
        String id,
        String type,
        @Nullable String tenantId,
        @Nullable String jobId,
        @Nullable String rolloutId,
        Instant at,
        Map<String, Object> data) {

    /** The prefix of every job event's type. */
    public static final String JOB_TYPE_PREFIX = "job.";
    /** The prefix of every rollout event's type. */
    public static final String ROLLOUT_TYPE_PREFIX = "rollout.";
    /** The data key of a job event's W3C traceparent ({@link ProvisioningJob#traceparent()}), when it has one. */
    public static final String TRACEPARENT = "traceparent";
    /** The prefix of a rollout event's {@link #orderKey()}. */
    private static final String ROLLOUT_ORDER_PREFIX = "rollout:";

    /**
     * Checks the required fields and copies the data.
     *
     * @throws IllegalArgumentException when neither a tenant nor a rollout is named
     */
    public ProvisioningEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(at, "at");
        if (tenantId == null && rolloutId == null) {
            throw new IllegalArgumentException("an event names a tenant or a rollout");
        }
        data = JsonValues.copyMap(data);
    }

    /**
     * @return what orders delivery: the tenant id of a job event, {@code rollout:} and the rollout id of a rollout
     *     event
     */
    public String orderKey() {
        return tenantId != null ? tenantId : ROLLOUT_ORDER_PREFIX + rolloutId;
    }

    /**
     * The outbox events a rollout write produces: one per status change among its new timeline entries (the
     * {@code created} entry and every {@code status_changed} one), each with a new id.
     *
     * @param newEvents the rollout's timeline entries written
     * @return the events to store in the outbox, in order; empty when no status changed
     */
    public static List<ProvisioningEvent> ofRolloutWrite(List<RolloutEvent> newEvents) {
        List<ProvisioningEvent> out = new ArrayList<>(1);
        for (RolloutEvent e : newEvents) {
            RolloutStatus to = e.to();
            if (to == null || (e.type() != RolloutEventType.CREATED && e.type() != RolloutEventType.STATUS_CHANGED)) {
                continue;
            }
            Map<String, Object> data = new LinkedHashMap<>();
            if (e.from() != null) {
                data.put("from", e.from().wireName());
            }
            data.put("to", to.wireName());
            data.put("message", e.message());
            if (!e.data().isEmpty()) {
                data.put("details", e.data());
            }
            out.add(new ProvisioningEvent(UUID.randomUUID().toString(), ROLLOUT_TYPE_PREFIX + to.wireName(), null,
                    null, e.rolloutId(), e.at(), data));
        }
        return out;
    }

    /**
     * @param status a job status
     * @return the type of the event a change to it produces, e.g. {@code job.succeeded}
     */
    public static String jobType(JobStatus status) {
        return JOB_TYPE_PREFIX + status.wireName();
    }

    /**
     * The outbox events a job write produces: one per status change among its new timeline entries (the
     * {@code created} entry and every {@code status_changed} one), each with a new id. Repositories call this when
     * they write a job, and store what it returns in the same transaction.
     *
     * @param job the job as written
     * @param newEvents the timeline entries written with it
     * @return the events to store in the outbox, in the entries' order; empty when no status changed
     */
    public static List<ProvisioningEvent> ofJobWrite(ProvisioningJob job, List<JobEvent> newEvents) {
        List<ProvisioningEvent> out = new ArrayList<>(1);
        for (JobEvent e : newEvents) {
            JobStatus to = e.to();
            if (to == null || (e.type() != JobEventType.CREATED && e.type() != JobEventType.STATUS_CHANGED)) {
                continue;
            }
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("operation", job.operation().wireName());
            if (e.from() != null) {
                data.put("from", e.from().wireName());
            }
            data.put("to", to.wireName());
            data.put("message", e.message());
            if (!e.data().isEmpty()) {
                data.put("details", e.data());
            }
            if (job.traceparent() != null) {
                data.put(TRACEPARENT, job.traceparent());
            }
            out.add(new ProvisioningEvent(UUID.randomUUID().toString(), jobType(to), job.tenantId(), job.id(), null,
                    e.at(), data));
        }
        return out;
    }
}
