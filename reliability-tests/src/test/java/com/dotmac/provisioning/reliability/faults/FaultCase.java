package com.dotmac.provisioning.reliability.faults;

import com.dotmac.provisioning.JobEvent;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.awx.fake.FakeAwx;
import com.dotmac.provisioning.awx.fake.LaunchRecord;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One row of the AWX fault matrix: how the fake AWX misbehaves (before the request, and optionally once the run was
 * launched), how many engine steps the job may take, and what must come of it.
 *
 * @param name what is tested, e.g. {@code 503 on launch}
 * @param beforeRequest sets the fault up before the job is requested
 * @param afterLaunch sets a fault up once the job is in progress, or null
 * @param maxSteps the most engine steps (of {@link com.dotmac.provisioning.reliability.support.SteppedEngine#STEP})
 * @param readTimeout the runner's read timeout: long, unless the case stalls answers on purpose
 * @param expect checks the outcome
 */
public record FaultCase(String name, Consumer<FakeAwx> beforeRequest, @Nullable Consumer<FakeAwx> afterLaunch,
        int maxSteps, Duration readTimeout, Consumer<Outcome> expect) {
    /**
     * A case whose answers are not stalled: the runner waits up to {@link #DEFAULT_READ_TIMEOUT}, so that a busy
     * machine does not turn a slow answer into a timeout the case did not ask for.
     */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(5);

    /**
     * @param name what is tested
     * @param beforeRequest sets the fault up before the job is requested
     * @param afterLaunch sets a fault up once the job is in progress, or null
     * @param maxSteps the most engine steps
     * @param expect checks the outcome
     */
    public FaultCase(String name, Consumer<FakeAwx> beforeRequest, @Nullable Consumer<FakeAwx> afterLaunch,
            int maxSteps, Consumer<Outcome> expect) {
        this(name, beforeRequest, afterLaunch, maxSteps, DEFAULT_READ_TIMEOUT, expect);
    }

    @Override
    public String toString() {
        return name;
    }

    /**
     * What a case led to.
     *
     * @param job the job, settled
     * @param events its timeline
     * @param runs the launches that started an AWX job for it
     * @param awx the fake AWX
     * @param logs the log lines recorded while the case ran (when {@code CapturedLogs} is armed)
     * @param tenantStatus the tenant's status afterwards
     */
    public record Outcome(ProvisioningJob job, List<JobEvent> events, List<LaunchRecord> runs, FakeAwx awx,
            List<String> logs, String tenantStatus) {
    }
}
