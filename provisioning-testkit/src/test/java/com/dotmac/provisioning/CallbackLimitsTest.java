package com.dotmac.provisioning;

import static com.dotmac.provisioning.ProvisioningRequest.provision;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dotmac.provisioning.scripted.Script;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Callbacks are bounded: a report count and a total artifacts size per job, no change to what the run reported once
 * the job ended, and every refusal of a report with a valid token recorded on the timeline without its payload.
 */
class CallbackLimitsTest {
    private final EngineHarness h = new EngineHarness().tenant("acme", "pending");

    private static ProvisioningRequest request() {
        return provision("acme", DeploymentMode.DOTMAC_HOSTED);
    }

    private long events(String jobId, JobEventType type) {
        return h.provisioner.events(jobId).stream().filter(e -> e.type() == type).count();
    }

    @Test
    void aJobAcceptsAFixedNumberOfReportsThenRefusesThemAsAnEvent() {
        h.runner.script("acme", Script.hang());
        ProvisioningJob job = h.provisioner.request(request());
        String token = h.provisioner.callbackToken(job.id());
        for (int i = 0; i < CallbackSettings.MAX_REPORTS_PER_JOB; i++) {
            h.provisioner.acceptCallback(job.id(), token, new CallbackReport("running", null, Map.of("n", (long) i)));
        }

        assertThatThrownBy(() -> h.provisioner.acceptCallback(job.id(), token,
                new CallbackReport("running", null, Map.of("secret_payload", "s3cr3t-value"))))
                .isInstanceOfSatisfying(CallbackRefusedException.class,
                        e -> assertThat(e.reason()).isEqualTo(CallbackRefusedException.Reason.TOO_MANY_REPORTS));

        assertThat(events(job.id(), JobEventType.CALLBACK_RECEIVED)).isEqualTo(CallbackSettings.MAX_REPORTS_PER_JOB);
        JobEvent refusal = h.provisioner.events(job.id()).stream()
                .filter(e -> e.type() == JobEventType.CALLBACK_REFUSED).findFirst().orElseThrow();
        assertThat(refusal.data()).containsEntry("reason", "too_many_reports");
        assertThat(refusal.toString()).doesNotContain("s3cr3t-value").doesNotContain("secret_payload");
        assertThat(h.job(job.id()).artifacts()).containsEntry("n", (long) CallbackSettings.MAX_REPORTS_PER_JOB - 1)
                .doesNotContainKey("secret_payload");
    }

    @Test
    void artifactsAreBoundedInTotalNotOnlyPerReport() {
        h.runner.script("acme", Script.hang());
        ProvisioningJob job = h.provisioner.request(request());
        String token = h.provisioner.callbackToken(job.id());
        String chunk = "x".repeat(CallbackSettings.MAX_ARTIFACTS_LENGTH / 3);
        h.provisioner.acceptCallback(job.id(), token, new CallbackReport(null, null, Map.of("a", chunk)));
        h.provisioner.acceptCallback(job.id(), token, new CallbackReport(null, null, Map.of("b", chunk)));

        assertThatThrownBy(() -> h.provisioner.acceptCallback(job.id(), token,
                new CallbackReport(null, null, Map.of("c", chunk + chunk))))
                .isInstanceOfSatisfying(CallbackRefusedException.class,
                        e -> assertThat(e.reason()).isEqualTo(CallbackRefusedException.Reason.TOO_LARGE));

        assertThat(h.job(job.id()).artifacts()).containsOnlyKeys("a", "b");
        assertThat(events(job.id(), JobEventType.CALLBACK_REFUSED)).isEqualTo(1);
    }

    @Test
    void aReportAfterTheJobEndedCannotChangeWhatTheRunReported() {
        h.runner.script("acme", Script.succeedAfter(1).withArtifacts(Map.of("tenant_url", "https://acme.example.com")));
        ProvisioningJob done = h.runToEnd(h.provisioner.request(request()).id());
        String token = h.provisioner.callbackToken(done.id());

        assertThatThrownBy(() -> h.provisioner.acceptCallback(done.id(), token, new CallbackReport("succeeded", null,
                Map.of("tenant_url", "https://phishing.example.net"))))
                .isInstanceOfSatisfying(CallbackRefusedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(CallbackRefusedException.Reason.CHANGES_RUN_ARTIFACTS);
                    assertThat(e.getMessage()).contains("tenant_url").doesNotContain("phishing");
                });

        assertThat(h.job(done.id()).artifacts()).containsEntry("tenant_url", "https://acme.example.com");
        assertThat(h.provisioner.events(done.id())).filteredOn(e -> e.type() == JobEventType.CALLBACK_REFUSED)
                .singleElement().satisfies(e -> assertThat(e.toString()).doesNotContain("phishing"));
        // the same values again, or new keys, are still taken within the grace
        h.provisioner.acceptCallback(done.id(), token, new CallbackReport("succeeded", null,
                Map.of("tenant_url", "https://acme.example.com", "admin_url", "https://acme.example.com/admin/")));
        assertThat(h.job(done.id()).artifacts()).containsEntry("admin_url", "https://acme.example.com/admin/");
    }

    @Test
    void theRunsOwnArtifactsWinOverEarlierReports() {
        h.runner.script("acme", Script.succeedAfter(2).withArtifacts(Map.of("tenant_url", "https://acme.example.com")));
        ProvisioningJob job = h.provisioner.request(request());
        h.step();
        h.provisioner.acceptCallback(job.id(), h.provisioner.callbackToken(job.id()),
                new CallbackReport("succeeded", null, Map.of("tenant_url", "https://phishing.example.net")));

        assertThat(h.runToEnd(job.id()).artifacts()).containsEntry("tenant_url", "https://acme.example.com");
    }

    @Test
    void refusalsAreRecordedUpToALimitAndThenOnlyRefused() {
        h.runner.script("acme", Script.hang());
        ProvisioningJob job = h.provisioner.request(request());
        String token = h.provisioner.callbackToken(job.id());
        for (int i = 0; i < CallbackSettings.MAX_REPORTS_PER_JOB; i++) {
            h.provisioner.acceptCallback(job.id(), token, new CallbackReport(null, null, Map.of()));
        }
        for (int i = 0; i < CallbackSettings.MAX_REFUSALS_RECORDED + 5; i++) {
            assertThatThrownBy(() -> h.provisioner.acceptCallback(job.id(), token,
                    new CallbackReport(null, null, Map.of()))).isInstanceOf(CallbackRefusedException.class);
        }

        assertThat(events(job.id(), JobEventType.CALLBACK_REFUSED)).isEqualTo(CallbackSettings.MAX_REFUSALS_RECORDED);
    }
}
