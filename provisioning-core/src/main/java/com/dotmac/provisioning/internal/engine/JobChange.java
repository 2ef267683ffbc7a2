package com.dotmac.provisioning.internal.engine;

import com.dotmac.provisioning.JobEvent;
import com.dotmac.provisioning.JobEventType;
import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.rules.JsonValues;
import com.dotmac.provisioning.state.JobStateMachine;
import com.dotmac.provisioning.state.TenantStatusRules;
import com.dotmac.provisioning.state.Transition;
import com.dotmac.provisioning.spi.StoredJob;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * One change to a stored job: new field values plus the events that describe it. Status changes go through
 * {@link JobStateMachine}, so an illegal move throws before anything is written. Not thread-safe; used by one
 * thread for one commit.
 */
final class JobChange {
    private final String jobId;
    private final Instant now;
    private StoredJob stored;
    private final ProvisioningJob.Builder job;
    private JobStatus status;
    private final List<JobEvent> events = new ArrayList<>();

    private JobChange(StoredJob base, Instant now) {
        this.jobId = base.id();
        this.now = now;
        this.stored = base;
        this.job = base.job().toBuilder();
        this.status = base.job().status();
    }

    static JobChange of(StoredJob base, Instant now) {
        return new JobChange(base, now);
    }

    /**
     * Moves the job; a terminal move stamps {@code finished_at}; a move that changes the tenant status that goes with
     * the job asks for it to be applied (at once).
     */
    JobChange transition(Transition transition, String message, Map<String, ?> data) {
        JobStatus from = status;
        status = JobStateMachine.apply(from, transition);
        job.status(status);
        if (status.isTerminal()) {
            job.finishedAt(now);
        }
        Operation operation = stored.job().operation();
        if (!TenantStatusRules.tenantStatusFor(operation, from).equals(TenantStatusRules.tenantStatusFor(operation, status))) {
            stored = stored.withTenantStatusApplied(false).withNextCheckAt(now);
        }
        events.add(new JobEvent(jobId, now, JobEventType.STATUS_CHANGED, from, status, message,
                JsonValues.copyMap(data)));
        return this;
    }

    /** A terminal failure-like move that records an error code and message. */
    JobChange end(Transition transition, String errorCode, String message, Map<String, ?> data) {
        job.errorCode(errorCode).errorMessage(message);
        return transition(transition, message, data);
    }

    JobChange event(JobEventType type, String message, Map<String, ?> data) {
        events.add(JobEvent.of(jobId, now, type, message, data));
        return this;
    }

    /** Adds an event made earlier (its own time kept), e.g. a tenant status applied before this change. */
    JobChange event(JobEvent event) {
        events.add(event);
        return this;
    }

    JobChange job(Consumer<ProvisioningJob.Builder> edit) {
        edit.accept(job);
        return this;
    }

    JobChange stored(UnaryOperator<StoredJob> edit) {
        stored = edit.apply(stored);
        return this;
    }

    JobStatus status() {
        return status;
    }

    StoredJob result() {
        return stored.withJob(job.updatedAt(now).build());
    }

    List<JobEvent> events() {
        return List.copyOf(events);
    }
}
