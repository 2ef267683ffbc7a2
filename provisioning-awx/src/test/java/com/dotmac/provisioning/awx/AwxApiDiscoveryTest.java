package com.dotmac.provisioning.awx;

import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.awx.fake.Fault;
import com.dotmac.provisioning.awx.fake.RecordedCall;
import com.dotmac.provisioning.spi.AutomationException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The API path: discovered once from {@code GET /api/} (AWX and AAP 2.5+), or configured. */
class AwxApiDiscoveryTest extends FakeAwxTest {

    @Test
    void awxAnswersItsCurrentVersion() {
        AwxAutomationRunner runner = runner();

        runner.launch(Specs.dotmacHosted("acme"));
        runner.poll(List.of("1"));

        assertThat(fake.calls()).extracting(RecordedCall::path)
                .containsExactly("/api/", "/api/v2/job_templates/14/launch/", "/api/v2/jobs/");
    }

    @Test
    void ansibleAutomationPlatformIsFollowedToItsController() {
        fake.aap();
        AwxAutomationRunner runner = runner();

        runner.launch(Specs.dotmacHosted("acme"));
        runner.poll(List.of("1"));

        assertThat(fake.calls()).extracting(RecordedCall::path).containsExactly("/api/", "/api/controller/",
                "/api/controller/v2/job_templates/14/launch/", "/api/controller/v2/jobs/");
    }

    @Test
    void aConfiguredPathIsUsedWithoutDiscovery() {
        fake.aap();

        runner(b -> b.apiPath("/api/controller/v2")).launch(Specs.dotmacHosted("acme"));

        assertThat(fake.calls()).extracting(RecordedCall::path)
                .containsExactly("/api/controller/v2/job_templates/14/launch/");
    }

    @Test
    void aFailedDiscoveryIsTransientAndTriedAgainLater() {
        AwxAutomationRunner runner = runner(b -> b.maxRetries(0));
        fake.failNext(1, Fault.status(502), call -> call.path().equals("/api/"));

        AutomationException e = failure(() -> runner.poll(List.of("1")));
        runner.poll(List.of("1"));

        assertThat(e.isTransient()).isTrue();
        assertThat(fake.calls()).extracting(RecordedCall::path)
                .containsExactly("/api/", "/api/", "/api/v2/jobs/");
    }

    @Test
    void anAnswerWithoutAVersionAsksForTheExplicitPath() {
        fake.failNext(1, Fault.json(200, "{\"description\": \"something else\"}"), call -> call.path().equals("/api/"));

        AutomationException e = failure(() -> runner().poll(List.of("1")));

        assertThat(e.isTransient()).isFalse();
        assertThat(e.errorCode()).isEqualTo(AwxErrorCodes.CONFIGURATION);
        assertThat(e.getMessage()).contains("current_version").contains("apis.controller")
                .contains("set the API path explicitly");
    }
}
