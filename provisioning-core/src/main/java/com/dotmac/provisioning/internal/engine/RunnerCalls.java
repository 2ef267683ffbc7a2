package com.dotmac.provisioning.internal.engine;

import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * How {@link BoundedRunner} makes a runner call within its bounds: on the calling thread ({@link CallingThreadCalls})
 * or on a thread of the runner-call pool ({@link RunnerCallPool}). Implementations are thread-safe.
 */
interface RunnerCalls {
    /**
     * Makes one call, at most {@code runnerCallThreads} at once, given up after {@code runnerCallTimeout} from its
     * start or when the job's lease is lost.
     *
     * @param what the call, for messages ({@code launch}, {@code poll}, ...)
     * @param jobId the job the call is for, whose lease it needs; null for calls of many jobs
     * @param work the call
     * @return what the runner answered
     * @throws com.dotmac.provisioning.spi.AutomationException {@code RUNNER_CALL_TIMED_OUT} or {@code LEASE_LOST}
     *     when given up; what the runner threw otherwise
     */
    <T> T call(String what, @Nullable String jobId, Supplier<T> work);
}
