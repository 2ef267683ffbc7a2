package com.dotmac.provisioning;

/** A job status change that the state machine does not allow, e.g. any change of a terminal job. */
public class IllegalTransitionException extends ConflictException {
    private static final long serialVersionUID = 1L;

    private final JobStatus from;
    private final JobStatus to;

    /**
     * @param from the job's current status
     * @param to the refused target status
     */
    public IllegalTransitionException(JobStatus from, JobStatus to) {
        super("a job cannot move from " + from.wireName() + " to " + to.wireName()
                + (from.isTerminal() ? " (" + from.wireName() + " is final)" : ""));
        this.from = from;
        this.to = to;
    }

    /** @return the status the job had */
    public JobStatus from() {
        return from;
    }

    /** @return the refused target */
    public JobStatus to() {
        return to;
    }
}
