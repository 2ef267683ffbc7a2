package com.dotmac.provisioning.awx;

import com.dotmac.provisioning.awx.fake.FakeAwx;
import com.dotmac.provisioning.awx.fake.JobView;
import com.dotmac.provisioning.awx.fake.RunScript;
import com.dotmac.provisioning.spi.AutomationRunner;
import com.dotmac.provisioning.spi.LaunchSpec;
import com.dotmac.provisioning.testkit.AutomationRunnerContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The core's runner contract, run against {@link FakeAwx}. */
class AwxAutomationRunnerContractTest extends AutomationRunnerContract {
    private static FakeAwx fake;
    private static AwxAutomationRunner runner;

    @BeforeAll
    static void startFakeAwx() throws IOException {
        fake = new FakeAwx();
        fake.start();
        runner = new AwxAutomationRunner(fake.configBuilder().build(), new RecordingSleeper(), Clock.systemUTC());
    }

    @AfterAll
    static void stopFakeAwx() {
        runner.close();
        fake.close();
    }

    @Override
    protected AutomationRunner runner() {
        return runner;
    }

    @Override
    protected LaunchSpec prepare(LaunchSpec spec, Outcome outcome) {
        RunScript script = switch (outcome) {
            case SUCCEED -> RunScript.succeedAfter(2).withArtifacts(Map.of("contract_artifact", "ok"));
            case FAIL -> RunScript.failAfter(2, failingTask(), "contract-host-01", "the contract says so");
            case HANG -> RunScript.hang();
        };
        fake.script(spec.correlationId(), script);
        return spec;
    }

    /** The extra vars of the launch request FakeAwx received for that job. */
    @Override
    protected Map<String, Object> extraVarsReceived(String runId) {
        return fake.job(Long.parseLong(runId)).map(JobView::extraVars)
                .orElseThrow(() -> new AssertionError("FakeAwx has no job " + runId));
    }

    /** AWX queues runs itself: the runner declares no limit. */
    @Override
    protected int configuredMaxConcurrentRuns() {
        return 0;
    }

    /** A runner whose AWX has stopped answering: a fake started and closed again, its port refusing. */
    @Override
    protected Optional<AutomationRunner> runnerWithoutItsAutomation() {
        FakeAwx gone = new FakeAwx();
        try {
            gone.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AwxConfig config = gone.configBuilder().build();
        gone.close();
        return Optional.of(new AwxAutomationRunner(config, new RecordingSleeper(), Clock.systemUTC()));
    }
}
