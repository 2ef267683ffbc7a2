package com.dotmac.provisioning;

import com.dotmac.provisioning.rules.WireNames;

/**
 * The status of a provisioning job. Its wire form (JSON, database) is the lower snake case name, e.g.
 * {@code in_progress}.
 *
 * <p>{@link #QUEUED} and {@link #IN_PROGRESS} are active: a tenant has at most one active job. The other four are
 * terminal and never change again. The allowed moves are listed in
 * {@link com.dotmac.provisioning.state.JobStateMachine}.
 */
public enum JobStatus {
    /** Stored and waiting to be launched (also while waiting for capacity or after a transient launch failure). */
    QUEUED,
    /** The automation run was launched and has not reached a final state yet. */
    IN_PROGRESS,
    /** The run finished successfully. Terminal. */
    SUCCEEDED,
    /** The launch was rejected, or the run failed, errored or was lost. Terminal. */
    FAILED,
    /** Cancelled on request, before launch or with the run's cancellation confirmed. Terminal. */
    CANCELLED,
    /** The job's deadline passed; the run was cancelled. Terminal. */
    TIMED_OUT;

    /** @return {@code true} for the four final states, which never change. */
    public boolean isTerminal() {
        return this != QUEUED && this != IN_PROGRESS;
    }

    /** @return {@code true} for {@link #QUEUED} and {@link #IN_PROGRESS}. */
    public boolean isActive() {
        return !isTerminal();
    }

    /** @return the wire form, e.g. {@code in_progress}. */
    public String wireName() {
        return WireNames.of(this);
    }

    /**
     * Parses the wire form.
     *
     * @param wireName e.g. {@code in_progress}
     * @return the constant
     * @throws IllegalArgumentException naming the accepted values when {@code wireName} is none of them
     */
    public static JobStatus fromWire(String wireName) {
        return WireNames.parse(JobStatus.class, wireName, "job status");
    }
}
