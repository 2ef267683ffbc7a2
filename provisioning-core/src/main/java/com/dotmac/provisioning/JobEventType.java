package com.dotmac.provisioning;

import com.dotmac.provisioning.rules.WireNames;

/** What a {@link JobEvent} records. Wire form: lower snake case, e.g. {@code status_changed}. */
public enum JobEventType {
    /** The job was stored ({@code to} is {@code queued}). */
    CREATED,
    /** The job's status changed ({@code from} and {@code to} are set). */
    STATUS_CHANGED,
    /** The engine is about to launch the run (recorded before the runner is called). */
    LAUNCH_PENDING,
    /** A launch attempt failed transiently; another follows ({@code data.retry_at}). */
    LAUNCH_RETRY_SCHEDULED,
    /** Cancellation was requested ({@code data.requested_by}). */
    CANCEL_REQUESTED,
    /** The runner was asked to cancel the run. */
    RUN_CANCEL_SENT,
    /** The job's deadline passed; the run is being cancelled. */
    DEADLINE_PASSED,
    /** The playbook's callback reached the platform. */
    CALLBACK_RECEIVED,
    /** A callback with a valid token was refused ({@code data.reason}); its payload is not recorded. */
    CALLBACK_REFUSED,
    /** The host's tenant directory accepted the tenant status ({@code data.tenant_status}). */
    TENANT_STATUS_APPLIED,
    /**
     * The host's tenant directory refused the tenant status; it is applied again later ({@code data.retry_at}).
     * Repeated refusals are collapsed: {@code data.refusals} counts them and {@code data.refusing_since} says when
     * the first was; not every refusal writes an event (docs/RELIABILITY.md).
     */
    TENANT_STATUS_FAILED,
    /**
     * The tenant status of this finished job was not applied (or no longer is) because a newer job of the same
     * tenant owns the tenant status ({@code data.newer_job_id}, {@code data.tenant_status}).
     */
    TENANT_STATUS_SUPERSEDED;

    /** @return the wire form, e.g. {@code status_changed}. */
    public String wireName() {
        return WireNames.of(this);
    }

    /**
     * @param wireName e.g. {@code created}
     * @return the constant
     * @throws IllegalArgumentException naming the accepted values when {@code wireName} is none of them
     */
    public static JobEventType fromWire(String wireName) {
        return WireNames.parse(JobEventType.class, wireName, "job event type");
    }
}
