package com.dotmac.provisioning.state;

import com.dotmac.provisioning.JobStatus;

/**
 * Every move a job can make, with its source and target status (docs/DESIGN.md "The job state machine"). There are no
 * others:
 * {@link JobStateMachine#apply} refuses anything else.
 */
public enum Transition {
    /** The runner accepted the launch (or a crashed launch was found again). */
    LAUNCHED(JobStatus.QUEUED, JobStatus.IN_PROGRESS),
    /** The launch was refused permanently, or every attempt failed. */
    LAUNCH_FAILED(JobStatus.QUEUED, JobStatus.FAILED),
    /** Cancelled before any run existed. */
    CANCELLED_BEFORE_LAUNCH(JobStatus.QUEUED, JobStatus.CANCELLED),
    /** The run finished successfully. */
    RUN_SUCCEEDED(JobStatus.IN_PROGRESS, JobStatus.SUCCEEDED),
    /** The run failed, errored, or was lost. */
    RUN_FAILED(JobStatus.IN_PROGRESS, JobStatus.FAILED),
    /** The runner confirmed the requested cancellation. */
    CANCEL_CONFIRMED(JobStatus.IN_PROGRESS, JobStatus.CANCELLED),
    /** The deadline passed and the run was cancelled (or could not be reached). */
    DEADLINE_PASSED(JobStatus.IN_PROGRESS, JobStatus.TIMED_OUT);

    private final JobStatus from;
    private final JobStatus to;

    Transition(JobStatus from, JobStatus to) {
        this.from = from;
        this.to = to;
    }

    /** @return the status the job must have */
    public JobStatus from() {
        return from;
    }

    /** @return the status the job gets */
    public JobStatus to() {
        return to;
    }
}
