package com.dotmac.provisioning.awx.fake;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How a fake AWX job behaves as it is observed (each time a poll or a detail request shows it): it passes through
 * {@code pending}, {@code waiting} and {@code running} for {@link #activeObservations()} observations, then shows its
 * final status; or it hangs, or vanishes. Immutable and thread-safe; the {@code with...} methods return changed
 * copies.
 *
 * @param activeObservations observations that still show the job active (0: the first poll sees the end)
 * @param finalStatus {@code successful}, {@code failed}, {@code error} or {@code canceled}; null: never ends
 * @param vanish whether the job disappears (as if deleted) instead of ending
 * @param artifacts what {@code set_stats} reported
 * @param hideArtifacts whether artifacts show as AWX's no_log placeholder string
 * @param failedTask the task a failed job fails in, or null
 * @param failedHost the host it fails on
 * @param failureMessage the task's {@code msg}
 * @param unreachable whether the host was unreachable rather than the task failing
 * @param jobExplanation the job's {@code job_explanation}
 * @param resultTraceback the job's {@code result_traceback}
 */
public record RunScript(int activeObservations, @Nullable String finalStatus, boolean vanish,
        Map<String, Object> artifacts, boolean hideArtifacts, @Nullable String failedTask, String failedHost,
        String failureMessage, boolean unreachable, String jobExplanation, String resultTraceback) {

    /** Checks the values and copies the artifacts. */
    public RunScript {
        if (activeObservations < 0) {
            throw new IllegalArgumentException("activeObservations must not be negative");
        }
        artifacts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(artifacts));
        Objects.requireNonNull(failedHost, "failedHost");
        Objects.requireNonNull(failureMessage, "failureMessage");
        Objects.requireNonNull(jobExplanation, "jobExplanation");
        Objects.requireNonNull(resultTraceback, "resultTraceback");
    }

    /**
     * @param polls observations that still show the job active
     * @param status the final status ({@code successful}, {@code failed}, {@code error}, {@code canceled})
     * @return a job that ends with {@code status} after {@code polls} observations
     */
    public static RunScript finishAfter(int polls, String status) {
        return new RunScript(polls, status, false, Map.of(), false, null, "localhost", "", false, "", "");
    }

    /** @param polls observations first @return a job that succeeds */
    public static RunScript succeedAfter(int polls) {
        return finishAfter(polls, "successful");
    }

    /**
     * @param polls observations first
     * @param task the failing task
     * @param host the host it fails on
     * @param message the task's {@code msg}
     * @return a job that fails in {@code task} on {@code host}
     */
    public static RunScript failAfter(int polls, String task, String host, String message) {
        return finishAfter(polls, "failed").withFailure(task, host, message);
    }

    /** @return a job that runs until cancelled */
    public static RunScript hang() {
        return new RunScript(0, null, false, Map.of(), false, null, "localhost", "", false, "", "");
    }

    /** @param polls observations first @return a job that disappears from AWX */
    public static RunScript vanishAfter(int polls) {
        return new RunScript(polls, null, true, Map.of(), false, null, "localhost", "", false, "", "");
    }

    /** @param value what set_stats reported @return a copy */
    public RunScript withArtifacts(Map<String, ?> value) {
        return new RunScript(activeObservations, finalStatus, vanish, new LinkedHashMap<>(value), hideArtifacts,
                failedTask, failedHost, failureMessage, unreachable, jobExplanation, resultTraceback);
    }

    /** @return a copy whose artifacts show as {@code $hidden due to Ansible no_log flag$} */
    public RunScript withHiddenArtifacts() {
        return new RunScript(activeObservations, finalStatus, vanish, artifacts, true, failedTask, failedHost,
                failureMessage, unreachable, jobExplanation, resultTraceback);
    }

    /** @param task the task @param host the host @param message the msg @return a copy failing there */
    public RunScript withFailure(String task, String host, String message) {
        return new RunScript(activeObservations, finalStatus, vanish, artifacts, hideArtifacts, task, host, message,
                false, jobExplanation, resultTraceback);
    }

    /** @param task the task @param host the host @param message the msg @return a copy whose host was unreachable */
    public RunScript withUnreachableHost(String task, String host, String message) {
        return new RunScript(activeObservations, finalStatus, vanish, artifacts, hideArtifacts, task, host, message,
                true, jobExplanation, resultTraceback);
    }

    /** @param value the job_explanation @return a copy */
    public RunScript withExplanation(String value) {
        return new RunScript(activeObservations, finalStatus, vanish, artifacts, hideArtifacts, failedTask,
                failedHost, failureMessage, unreachable, value, resultTraceback);
    }

    /** @param value the result_traceback @return a copy */
    public RunScript withTraceback(String value) {
        return new RunScript(activeObservations, finalStatus, vanish, artifacts, hideArtifacts, failedTask,
                failedHost, failureMessage, unreachable, jobExplanation, value);
    }
}
