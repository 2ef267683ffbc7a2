package com.dotmac.provisioning.awx;

import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.awx.fake.Fault;
import com.dotmac.provisioning.awx.fake.FakeAwx;
import com.dotmac.provisioning.awx.fake.RecordedCall;
import com.dotmac.provisioning.awx.fake.RunScript;
import com.dotmac.provisioning.spi.RunState;
import com.dotmac.provisioning.spi.RunStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Polling: status mapping, batching, paging, lost runs, artifacts and failure details. */
class AwxPollTest extends FakeAwxTest {
    private static final String JOBS = "jobs/";

    private long job(RunScript script) {
        return fake.addJob(FakeAwx.PROVISION_TEMPLATE, Map.of("provisioning_job_id", "j-" + System.nanoTime()),
                Instant.now(), script);
    }

    private RunStatus pollOne(AwxAutomationRunner runner, long jobId) {
        return runner.poll(List.of(String.valueOf(jobId))).get(String.valueOf(jobId));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"new, PENDING", "pending, PENDING", "waiting, PENDING", "running, RUNNING",
            "successful, SUCCEEDED", "failed, FAILED", "error, ERROR", "canceled, CANCELED"})
    void everyAwxStatusMapsToARunState(String awxStatus, RunState expected) {
        long id = job(RunScript.hang());
        fake.forceStatus(id, awxStatus);

        RunStatus status = pollOne(runner(), id);

        assertThat(status.state()).isEqualTo(expected);
        if (expected == RunState.FAILED || expected == RunState.ERROR) {
            assertThat(status.detail()).isNotBlank().contains("AWX job " + id);
        }
    }

    @Test
    void aRunMovesThroughItsStatesAsAwxReportsThem() {
        long id = job(RunScript.succeedAfter(3));
        AwxAutomationRunner runner = runner();

        List<RunState> seen = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            seen.add(pollOne(runner, id).state());
        }

        assertThat(seen).containsExactly(RunState.PENDING, RunState.PENDING, RunState.RUNNING, RunState.SUCCEEDED);
    }

    @Test
    void fourHundredFiftyRunsArePolledInThreeRequests() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 450; i++) {
            ids.add(String.valueOf(job(RunScript.hang())));
        }
        AwxAutomationRunner runner = runner(b -> b.apiPath("/api/v2/"));

        Map<String, RunStatus> statuses = runner.poll(ids);

        List<RecordedCall> polls = fake.calls("GET", JOBS);
        assertThat(polls).hasSize(3);
        assertThat(fake.calls()).hasSize(3);
        assertThat(polls).extracting(c -> idsIn(c).size()).containsExactly(200, 200, 50);
        assertThat(polls).allSatisfy(c -> assertThat(query(c).queryParameter("page_size")).isEqualTo("200"));
        assertThat(statuses).hasSize(450).containsOnlyKeys(ids);
        assertThat(statuses.values()).extracting(RunStatus::state).containsOnly(RunState.PENDING);
    }

    @Test
    void pagesAreFollowedThroughRelativeNextLinks() {
        fake.maxPageSize(50);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            ids.add(String.valueOf(job(RunScript.succeedAfter(0))));
        }

        Map<String, RunStatus> statuses = runner(b -> b.apiPath("/api/v2/")).poll(ids);

        List<RecordedCall> polls = fake.calls("GET", JOBS);
        assertThat(polls).extracting(c -> query(c).queryParameter("page")).containsExactly(null, "2", "3");
        assertThat(polls).allSatisfy(c -> assertThat(idsIn(c)).hasSize(120));
        assertThat(statuses.values()).extracting(RunStatus::state).hasSize(120).containsOnly(RunState.SUCCEEDED);
    }

    @Test
    void aRunAwxDoesNotKnowIsLost() {
        long known = job(RunScript.hang());
        long vanished = job(RunScript.vanishAfter(0));

        Map<String, RunStatus> statuses = runner().poll(List.of(String.valueOf(known), "999999", "not-a-job",
                String.valueOf(vanished)));

        assertThat(statuses.get(String.valueOf(known)).state()).isEqualTo(RunState.PENDING);
        assertThat(statuses.get("999999").state()).isEqualTo(RunState.LOST);
        assertThat(statuses.get("999999").detail()).contains("AWX has no job 999999");
        assertThat(statuses.get("not-a-job").state()).isEqualTo(RunState.LOST);
        assertThat(statuses.get(String.valueOf(vanished)).state()).isEqualTo(RunState.LOST);
        assertThat(fake.calls("GET", JOBS)).hasSize(1);
    }

    @Test
    void artifactsComeFromSetStats() {
        long id = job(RunScript.succeedAfter(0).withArtifacts(Map.of("tenant_url", "https://acme.example.com",
                "ports", List.of(80, 443), "disk_gb", new BigDecimal("12.5"), "stack", Map.of("services", 7))));

        RunStatus status = pollOne(runner(), id);

        assertThat(status.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(status.artifacts()).containsEntry("tenant_url", "https://acme.example.com")
                .containsEntry("ports", List.of(80L, 443L)).containsEntry("disk_gb", new BigDecimal("12.5"))
                .containsEntry("stack", Map.of("services", 7L));
    }

    @Test
    void artifactsHiddenByNoLogAreEmpty() {
        long id = job(RunScript.succeedAfter(0).withArtifacts(Map.of("secret", "x")).withHiddenArtifacts());

        RunStatus status = pollOne(runner(), id);

        assertThat(status.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(status.artifacts()).isEmpty();
    }

    @Test
    void aFailedRunNamesItsFailedTaskHostAndMessageWithOneMoreRequest() {
        long id = job(RunScript.failAfter(0, "Render compose file", "dc1-control-01",
                "Could not find or access 'compose.yml.j2'"));

        RunStatus status = pollOne(runner(), id);

        assertThat(status.state()).isEqualTo(RunState.FAILED);
        assertThat(status.detail()).isEqualTo(
                "task 'Render compose file' failed on host dc1-control-01: Could not find or access 'compose.yml.j2'");
        List<RecordedCall> events = fake.calls("GET", "jobs/" + id + "/job_events/");
        assertThat(events).hasSize(1);
        HttpUrl url = query(events.get(0));
        assertThat(url.queryParameter("event__in")).contains("runner_on_failed").contains("runner_on_unreachable");
        assertThat(url.queryParameter("failed")).isEqualTo("true");
    }

    @Test
    void aFailedEventThatNamesNoTaskOrHostShowsThemAsUnknown() {
        long id = job(RunScript.failAfter(0, "", "", "boom"));

        RunStatus status = pollOne(runner(), id);

        assertThat(status.state()).isEqualTo(RunState.FAILED);
        assertThat(status.detail()).isEqualTo("task '?' failed on host ?: boom");
    }

    @Test
    void anUnreachableHostIsNamed() {
        long id = job(RunScript.finishAfter(0, "failed").withUnreachableHost("Gathering Facts", "customer-01",
                "Failed to connect to the host via ssh: Connection timed out"));

        RunStatus status = pollOne(runner(), id);

        assertThat(status.detail()).isEqualTo("task 'Gathering Facts' could not reach host customer-01: Failed to"
                + " connect to the host via ssh: Connection timed out");
    }

    @Test
    void withoutAFailedTaskTheJobExplanationIsUsed() {
        long id = job(RunScript.finishAfter(0, "failed").withExplanation("Job terminated due to timeout"));

        RunStatus status = pollOne(runner(), id);

        assertThat(status.state()).isEqualTo(RunState.FAILED);
        assertThat(status.detail()).isEqualTo("AWX job " + id + " failed: Job terminated due to timeout");
    }

    @Test
    void anErroredRunReportsTheExplanationAndTheEndOfTheTraceback() {
        long id = job(RunScript.finishAfter(0, "error").withExplanation("Previous Task Failed: {\"job_type\":"
                + " \"project_update\", \"job_name\": \"tenant-playbooks\", \"job_id\": \"41\"}")
                .withTraceback("Traceback (most recent call last):\n  File \"/awx/main/tasks/jobs.py\", line 604\n"
                        + "    raise RuntimeError('receptor work unit failed')\nRuntimeError: receptor work unit failed"));

        RunStatus status = pollOne(runner(), id);

        assertThat(status.state()).isEqualTo(RunState.ERROR);
        assertThat(status.detail()).startsWith("AWX job " + id + " ended in an error of AWX: Previous Task Failed")
                .endsWith("RuntimeError: receptor work unit failed");
        assertThat(fake.calls("GET", "jobs/" + id + "/")).hasSize(1);
    }

    @Test
    void theDetailIsBounded() {
        long id = job(RunScript.failAfter(0, "Render compose file", "dc1-control-01", "x".repeat(5000)));

        RunStatus status = pollOne(runner(), id);

        assertThat(status.detail()).hasSize(AwxConfig.DEFAULT_MAX_DETAIL_LENGTH)
                .startsWith("task 'Render compose file' failed on host dc1-control-01: xxx").endsWith("…");
    }

    @Test
    void whenTheEventsCannotBeReadThePollStillAnswers() {
        long id = job(RunScript.failAfter(0, "Render compose file", "dc1-control-01", "boom")
                .withExplanation("Job failed"));
        fake.failNext(3, Fault.status(503), "GET", "jobs/\\d+/job_events/");

        RunStatus status = pollOne(runner(), id);

        assertThat(status.state()).isEqualTo(RunState.FAILED);
        assertThat(status.detail()).isEqualTo("AWX job " + id + " failed: Job failed");
    }

    private HttpUrl query(RecordedCall call) {
        return HttpUrl.get(fake.baseUrl()).resolve(call.path() + "?" + call.query());
    }

    private List<String> idsIn(RecordedCall call) {
        return List.of(query(call).queryParameter("id__in").split(","));
    }
}
