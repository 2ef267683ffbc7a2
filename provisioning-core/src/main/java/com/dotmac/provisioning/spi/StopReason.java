package com.dotmac.provisioning.spi;

/** Why the engine is stopping a run. */
public enum StopReason {
    /** Somebody asked to cancel the job; it ends {@code cancelled}. */
    CANCEL,
    /** The job's deadline passed; it ends {@code timed_out}. */
    TIMEOUT
}
