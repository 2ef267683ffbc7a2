package com.dotmac.provisioning.spi;

/** The state of an automation run as a runner reports it. */
public enum RunState {
    /** Accepted but not started (AWX: new, pending, waiting). */
    PENDING,
    /** Running. */
    RUNNING,
    /** Finished successfully. */
    SUCCEEDED,
    /** Finished with a failed task or unreachable host. */
    FAILED,
    /** Ended by an error of the automation service itself. */
    ERROR,
    /** Cancelled. */
    CANCELED,
    /** The runner no longer knows the run. */
    LOST;

    /** @return whether the run has ended */
    public boolean isFinal() {
        return this != PENDING && this != RUNNING;
    }
}
