package com.dotmac.provisioning.scripted;

import com.dotmac.provisioning.rules.JsonValues;
import com.dotmac.provisioning.spi.RunState;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the {@link ScriptedAutomationRunner} does for a tenant's runs. Immutable; start from a factory and adjust
 * with the {@code with...} methods.
 *
 * @param transientLaunchFailures how many launch attempts fail transiently before one succeeds
 * @param rejectionCode when non-null, every launch is refused permanently with this code
 * @param rejectionMessage the refusal's message
 * @param pollsBeforeEnd how many polls report the run running before it ends
 * @param outcome how the run ends; null: it never ends on its own (until cancelled)
 * @param detail the failure detail reported for a failed, errored or lost run
 * @param artifacts what a successful run reports
 * @param ignoreCancel whether cancel requests are accepted but never take effect
 * @param crashAfterLaunch whether the first launch creates the run and then throws {@link SimulatedCrash}, as if
 *     the engine's JVM died before recording it
 * @param pendingFor how long (by the runner's clock) each run is reported {@link RunState#PENDING} after its launch,
 *     as AWX keeps a job {@code pending} while it has no capacity for it; polls while pending do not count towards
 *     {@code pollsBeforeEnd}; zero: running at once
 */
public record Script(
        int transientLaunchFailures,
        @Nullable String rejectionCode,
        @Nullable String rejectionMessage,
        int pollsBeforeEnd,
        @Nullable RunState outcome,
        @Nullable String detail,
        Map<String, Object> artifacts,
        boolean ignoreCancel,
        boolean crashAfterLaunch,
        Duration pendingFor) {

    /** Copies the artifacts and checks the counts and the pending time. */
    public Script {
        if (transientLaunchFailures < 0 || pollsBeforeEnd < 0) {
            throw new IllegalArgumentException("counts must not be negative");
        }
        Objects.requireNonNull(pendingFor, "pendingFor");
        if (pendingFor.isNegative()) {
            throw new IllegalArgumentException("pendingFor must not be negative");
        }
        artifacts = JsonValues.copyMap(artifacts);
    }

    /**
     * A script whose runs are running at once (the form before {@link #pendingFor()} was added).
     *
     * @param transientLaunchFailures see {@link #transientLaunchFailures()}
     * @param rejectionCode see {@link #rejectionCode()}
     * @param rejectionMessage see {@link #rejectionMessage()}
     * @param pollsBeforeEnd see {@link #pollsBeforeEnd()}
     * @param outcome see {@link #outcome()}
     * @param detail see {@link #detail()}
     * @param artifacts see {@link #artifacts()}
     * @param ignoreCancel see {@link #ignoreCancel()}
     * @param crashAfterLaunch see {@link #crashAfterLaunch()}
     * @throws IllegalArgumentException when a count is negative
     */
    public Script(int transientLaunchFailures, @Nullable String rejectionCode, @Nullable String rejectionMessage,
            int pollsBeforeEnd, @Nullable RunState outcome, @Nullable String detail, Map<String, Object> artifacts,
            boolean ignoreCancel, boolean crashAfterLaunch) {
        this(transientLaunchFailures, rejectionCode, rejectionMessage, pollsBeforeEnd, outcome, detail, artifacts,
                ignoreCancel, crashAfterLaunch, Duration.ZERO);
    }

    /**
     * @param polls polls that report running first
     * @return a run that succeeds
     */
    public static Script succeedAfter(int polls) {
        return new Script(0, null, null, polls, RunState.SUCCEEDED, null, Map.of(), false, false);
    }

    /**
     * @param polls polls that report running first
     * @param task the failing task's name
     * @param host the host it failed on
     * @param message the task's message
     * @return a run that fails the way AWX reports a failed task
     */
    public static Script failAfter(int polls, String task, String host, String message) {
        return new Script(0, null, null, polls, RunState.FAILED,
                "task '" + task + "' failed on host " + host + ": " + message, Map.of(), false, false);
    }

    /**
     * @param polls polls that report running first
     * @param message what the automation service says
     * @return a run that ends in an error of the service
     */
    public static Script errorAfter(int polls, String message) {
        return new Script(0, null, null, polls, RunState.ERROR, message, Map.of(), false, false);
    }

    /**
     * @param polls polls that report running first
     * @return a run that the runner forgets (reported {@link RunState#LOST})
     */
    public static Script lostAfter(int polls) {
        return new Script(0, null, null, polls, RunState.LOST, "the run no longer exists", Map.of(), false, false);
    }

    /** @return a run that never ends on its own */
    public static Script hang() {
        return new Script(0, null, null, 0, null, null, Map.of(), false, false);
    }

    /**
     * @param code the error code
     * @param message the refusal
     * @return launches that are refused permanently
     */
    public static Script rejectLaunch(String code, String message) {
        return new Script(0, code, message, 0, null, null, Map.of(), false, false);
    }

    /** @param failures transient launch failures first @return a changed copy */
    public Script withTransientLaunchFailures(int failures) {
        return new Script(failures, rejectionCode, rejectionMessage, pollsBeforeEnd, outcome, detail, artifacts,
                ignoreCancel, crashAfterLaunch, pendingFor);
    }

    /** @param v artifacts of a successful run @return a changed copy */
    public Script withArtifacts(Map<String, ?> v) {
        return new Script(transientLaunchFailures, rejectionCode, rejectionMessage, pollsBeforeEnd, outcome, detail,
                JsonValues.copyMap(v), ignoreCancel, crashAfterLaunch, pendingFor);
    }

    /** @return a changed copy whose cancel requests never take effect */
    public Script ignoringCancel() {
        return new Script(transientLaunchFailures, rejectionCode, rejectionMessage, pollsBeforeEnd, outcome, detail,
                artifacts, true, crashAfterLaunch, pendingFor);
    }

    /** @return a changed copy whose first launch "crashes" after creating the run */
    public Script crashingAfterLaunch() {
        return new Script(transientLaunchFailures, rejectionCode, rejectionMessage, pollsBeforeEnd, outcome, detail,
                artifacts, ignoreCancel, true, pendingFor);
    }

    /**
     * @param v how long each run stays pending after its launch, e.g. because the automation platform has no
     *     capacity for it
     * @return a changed copy
     * @throws IllegalArgumentException when {@code v} is negative
     */
    public Script withPendingFor(Duration v) {
        return new Script(transientLaunchFailures, rejectionCode, rejectionMessage, pollsBeforeEnd, outcome, detail,
                artifacts, ignoreCancel, crashAfterLaunch, v);
    }
}
