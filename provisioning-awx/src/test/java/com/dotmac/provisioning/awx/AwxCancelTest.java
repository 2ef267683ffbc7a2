package com.dotmac.provisioning.awx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.dotmac.provisioning.awx.fake.FakeAwx;
import com.dotmac.provisioning.awx.fake.RunScript;
import com.dotmac.provisioning.spi.AutomationException;
import com.dotmac.provisioning.spi.RunState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** cancel: 202 asks AWX to stop the job; 405 (finished) is no error; 404 is permanent. */
class AwxCancelTest extends FakeAwxTest {

    private long job(RunScript script) {
        return fake.addJob(FakeAwx.PROVISION_TEMPLATE, Map.of(), Instant.now(), script);
    }

    @Test
    void aRunningJobIsCancelled() {
        long id = job(RunScript.hang());
        AwxAutomationRunner runner = runner();

        runner.cancel(String.valueOf(id));

        assertThat(fake.calls("POST", "jobs/" + id + "/cancel/")).hasSize(1);
        assertThat(runner.poll(List.of(String.valueOf(id))).get(String.valueOf(id)).state())
                .isEqualTo(RunState.CANCELED);
    }

    @Test
    void aFinishedJobAnswers405AndThatIsNoError() {
        long id = job(RunScript.succeedAfter(0));
        fake.forceStatus(id, "successful");

        assertThatCode(() -> runner().cancel(String.valueOf(id))).doesNotThrowAnyException();

        assertThat(fake.calls("POST", "jobs/" + id + "/cancel/")).hasSize(1);
        assertThat(fake.job(id).orElseThrow().status()).isEqualTo("successful");
    }

    @Test
    void anUnknownJobIsAPermanentFailure() {
        AutomationException e = failure(() -> runner().cancel("424242"));

        assertThat(e.isTransient()).isFalse();
        assertThat(e.errorCode()).isEqualTo(AwxErrorCodes.NOT_FOUND);
        assertThat(e.getMessage()).isEqualTo("AWX has no job 424242 to cancel");
    }

    @Test
    void aRunIdThatIsNoAwxJobIdIsRefusedWithoutARequest() {
        AutomationException e = failure(() -> runner().cancel("run-7"));

        assertThat(e.isTransient()).isFalse();
        assertThat(e.errorCode()).isEqualTo(AwxErrorCodes.INVALID_RUN_ID);
        assertThat(fake.calls()).isEmpty();
    }
}
