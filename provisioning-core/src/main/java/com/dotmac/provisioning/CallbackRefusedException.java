package com.dotmac.provisioning;

import com.dotmac.provisioning.rules.WireNames;

/**
 * A callback with a valid job token was refused because of what it reports: too many reports for the job, too many
 * artifacts in total, or artifacts that would change what the run itself reported. The refusal is recorded on the
 * job's timeline (without the payload). REST: 413 for {@link Reason#TOO_LARGE}, otherwise 409.
 */
public class CallbackRefusedException extends ProvisioningException {
    private static final long serialVersionUID = 1L;

    /** Why a callback was refused. Wire form: lower snake case. */
    public enum Reason {
        /** The job already accepted the most callbacks it takes ({@link CallbackSettings#MAX_REPORTS_PER_JOB}). */
        TOO_MANY_REPORTS,
        /** The job's artifacts would exceed their total size with this report. */
        TOO_LARGE,
        /** The report would change artifacts the run reported when it ended. */
        CHANGES_RUN_ARTIFACTS;

        /** @return the wire form, e.g. {@code too_many_reports} */
        public String wireName() {
            return WireNames.of(this);
        }
    }

    private final String jobId;
    private final Reason reason;

    /**
     * @param jobId the job
     * @param reason why
     * @param message what an operator should know (never the payload)
     */
    public CallbackRefusedException(String jobId, Reason reason, String message) {
        super(message);
        this.jobId = jobId;
        this.reason = reason;
    }

    /** @return the job */
    public String jobId() {
        return jobId;
    }

    /** @return why the callback was refused */
    public Reason reason() {
        return reason;
    }
}
