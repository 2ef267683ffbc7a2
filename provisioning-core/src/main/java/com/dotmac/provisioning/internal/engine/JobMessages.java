package com.dotmac.provisioning.internal.engine;

import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.rules.Strings;
import com.dotmac.provisioning.spi.RunStatus;
import com.dotmac.provisioning.spi.StopRequest;
import org.jspecify.annotations.Nullable;

/**
 * The texts the engine's steps write into jobs and events: runner details cut to a bounded length, cancel messages.
 * Stateless; thread-safe.
 */
final class JobMessages {
    /** The most characters of a runner's message or a run's detail that a job keeps. */
    static final int MAX_DETAIL = 2000;

    private JobMessages() {
    }

    /** The run's detail when it has one, else {@code fallback}. */
    static String detail(RunStatus status, String fallback) {
        return status.detail() == null || status.detail().isBlank() ? fallback : bounded(status.detail());
    }

    /** A runner's message cut to {@link #MAX_DETAIL}; "(no message)" for none. */
    static String bounded(@Nullable String message) {
        return Strings.abbreviate(message == null ? "(no message)" : message, MAX_DETAIL);
    }

    /** "; last: " and the job's error message, or nothing. */
    static String lastError(ProvisioningJob job) {
        return job.errorMessage() == null ? "" : "; last: " + job.errorMessage();
    }

    /** Who cancelled the job and why. */
    static String cancelMessage(@Nullable StopRequest stop) {
        if (stop == null) {
            return "cancelled";
        }
        return "cancelled by " + stop.requestedBy() + (stop.message() == null ? "" : ": " + stop.message());
    }
}
