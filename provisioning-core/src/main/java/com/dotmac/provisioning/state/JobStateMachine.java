package com.dotmac.provisioning.state;

import com.dotmac.provisioning.IllegalTransitionException;
import com.dotmac.provisioning.JobStatus;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The job state machine as an explicit transition table:
 *
 * <pre>
 * QUEUED ──launch──▶ IN_PROGRESS ──run successful──▶ SUCCEEDED
 *   │                   ├──run failed / error / lost──▶ FAILED
 *   │                   ├──cancel confirmed──▶ CANCELLED
 *   │                   └──deadline passed (run cancelled)──▶ TIMED_OUT
 *   ├──cancel──▶ CANCELLED
 *   └──launch rejected──▶ FAILED
 * </pre>
 *
 * Terminal states have no outgoing transition. Stateless and thread-safe.
 */
public final class JobStateMachine {
    private static final Map<JobStatus, Set<JobStatus>> TABLE;

    static {
        Map<JobStatus, Set<JobStatus>> table = new EnumMap<>(JobStatus.class);
        for (JobStatus status : JobStatus.values()) {
            table.put(status, EnumSet.noneOf(JobStatus.class));
        }
        for (Transition t : Transition.values()) {
            Objects.requireNonNull(table.get(t.from()), "every status is in the table").add(t.to());
        }
        table.replaceAll((k, v) -> Collections.unmodifiableSet(v));
        TABLE = Collections.unmodifiableMap(table);
    }

    private JobStateMachine() {
    }

    /**
     * @param from a status
     * @param to another status
     * @return whether the table has a transition from {@code from} to {@code to}
     */
    public static boolean allows(JobStatus from, JobStatus to) {
        return targets(from).contains(to);
    }

    /**
     * @param from a status
     * @return the statuses reachable in one step; empty for terminal statuses
     */
    public static Set<JobStatus> targets(JobStatus from) {
        return Objects.requireNonNull(TABLE.get(from), "every status is in the table");
    }

    /**
     * Checks a transition against a job's current status.
     *
     * @param current the job's status
     * @param transition the intended move
     * @return the status after the move
     * @throws IllegalTransitionException when {@code current} is not the transition's source
     */
    public static JobStatus apply(JobStatus current, Transition transition) {
        if (current != transition.from()) {
            throw new IllegalTransitionException(current, transition.to());
        }
        return transition.to();
    }

    /**
     * @param from a status
     * @param to the intended status
     * @throws IllegalTransitionException when the table has no such move
     */
    public static void check(JobStatus from, JobStatus to) {
        if (!allows(from, to)) {
            throw new IllegalTransitionException(from, to);
        }
    }
}
