package com.dotmac.provisioning.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.JobEvent;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.memory.InMemoryTenantDirectory;
import com.dotmac.provisioning.rollout.Rollout;
import com.dotmac.provisioning.rollout.RolloutRequest;
import com.dotmac.provisioning.rollout.RolloutStatus;
import com.dotmac.provisioning.rollout.TenantSelection;
import com.dotmac.provisioning.scripted.Script;
import com.dotmac.provisioning.scripted.ScriptedAutomationRunner;
import com.example.console.ConsoleTestApplication;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The console's event streams over HTTP with the host's form login (the application context of
 * {@link ConsolePagesTest}): a finished job's or rollout's stream holds every entry and then ends, Last-Event-ID
 * resumes, and the streams answer like the pages (the console chain's login, 404 for an unknown or unreadable job,
 * 403 without the read authority).
 */
@SpringBootTest(classes = ConsoleTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ConsoleStreamsTest {
    private static final String BASE = "/provisioning-console";
    private static final String PASSWORD = ConsoleTestApplication.PASSWORD;
    private static final String SSE = "text/event-stream";
    private static final Pattern ID = Pattern.compile("(?m)^id:(\\d+)$");
    private static final Pattern EVENT = Pattern.compile("(?m)^event:(\\S+)$");

    @LocalServerPort
    int port;
    @Autowired
    TenantProvisioner provisioner;
    @Autowired
    ScriptedAutomationRunner runner;
    @Autowired
    InMemoryTenantDirectory tenants;

    private ConsoleFixtures fixtures() {
        return new ConsoleFixtures(provisioner, runner, tenants);
    }

    @Test
    void aFinishedJobsStreamHoldsEveryEntryThenEnds() throws Exception {
        ProvisioningJob failed = fixtures().failedJob("streams-finished");
        List<JobEvent> events = provisioner.events(failed.id());
        ConsoleHttp viewer = ConsoleHttp.login(port, "viewer", PASSWORD);

        HttpResponse<String> stream = viewer.get(BASE + "/jobs/" + failed.id() + "/stream", "Accept", SSE);

        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("Content-Type").orElse("")).startsWith(SSE);
        assertThat(all(ID, stream.body())).isEqualTo(positions(1, events.size()));
        assertThat(all(EVENT, stream.body()))
                .isEqualTo(events.stream().map(e -> e.type().wireName()).toList());
        assertThat(stream.body()).doesNotContain(provisioner.callbackToken(failed.id()));

        HttpResponse<String> resumed = viewer.get(BASE + "/jobs/" + failed.id() + "/stream", "Accept", SSE,
                "Last-Event-ID", "2");
        assertThat(all(ID, resumed.body())).isEqualTo(positions(3, events.size()));
        assertThat(viewer.get(BASE + "/jobs/" + failed.id() + "/stream?last_event_id=" + events.size(),
                "Accept", SSE).body()).doesNotContain("id:");
        assertThat(viewer.get(BASE + "/jobs/" + failed.id() + "/stream", "Accept", SSE,
                "Last-Event-ID", String.valueOf(events.size() + 1)).statusCode()).isEqualTo(400);
    }

    @Test
    void aFinishedRolloutsStreamHoldsEveryEntryThenEnds() throws Exception {
        tenants.put("streams-ro-1", "streams-ro-1", "new");
        runner.script("streams-ro-1", Script.succeedAfter(1));
        Rollout rollout = provisioner.rollout(RolloutRequest.builder(Operation.PROVISION)
                .deploymentMode(DeploymentMode.DOTMAC_HOSTED).tenants(TenantSelection.of(List.of("streams-ro-1")))
                .build());
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> provisioner.rollouts()
                .find(rollout.id()).orElseThrow().status() == RolloutStatus.COMPLETED);
        int entries = provisioner.rollouts().events(rollout.id()).size();
        ConsoleHttp viewer = ConsoleHttp.login(port, "viewer", PASSWORD);

        HttpResponse<String> stream = viewer.get(BASE + "/rollouts/" + rollout.id() + "/stream", "Accept", SSE);

        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(all(ID, stream.body())).isEqualTo(positions(1, entries));
        assertThat(viewer.get(BASE + "/rollouts/no-such-rollout/stream", "Accept", SSE).statusCode())
                .isEqualTo(404);
        assertThat(ConsoleHttp.login(port, "intruder", PASSWORD)
                .get(BASE + "/rollouts/" + rollout.id() + "/stream", "Accept", SSE).statusCode()).isEqualTo(403);
    }

    @Test
    void aStreamAnswersLikeItsJobsPage() throws Exception {
        ProvisioningJob own = fixtures().failedJob(ConsoleTestApplication.OWN_TENANT);
        ProvisioningJob other = fixtures().failedJob("streams-other-tenant");
        ConsoleHttp reader = ConsoleHttp.login(port, "tenant-reader", PASSWORD);

        assertThat(reader.get(BASE + "/jobs/" + own.id() + "/stream", "Accept", SSE).statusCode()).isEqualTo(200);
        HttpResponse<String> existing = reader.get(BASE + "/jobs/" + other.id() + "/stream", "Accept", SSE);
        HttpResponse<String> missing = reader.get(BASE + "/jobs/" + "x".repeat(other.id().length()) + "/stream",
                "Accept", SSE);
        assertThat(existing.statusCode()).isEqualTo(404).isEqualTo(missing.statusCode());
        assertThat(existing.body().replace(other.id(), "ID"))
                .isEqualTo(missing.body().replace("x".repeat(other.id().length()), "ID"));
        assertThat(ConsoleHttp.login(port, "intruder", PASSWORD)
                .get(BASE + "/jobs/" + other.id() + "/stream", "Accept", SSE).statusCode()).isEqualTo(404);

        HttpResponse<String> anonymous = ConsoleHttp.anonymous(port)
                .get(BASE + "/jobs/" + own.id() + "/stream", "Accept", SSE);
        assertThat(anonymous.statusCode()).isEqualTo(302);
        assertThat(anonymous.headers().firstValue("Location").orElse("")).endsWith("/login");
    }

    @Test
    void theJobPageNamesItsStreamAfterTheEntriesItShows() throws Exception {
        ProvisioningJob running = fixtures().runningJob("streams-page");
        int shown = provisioner.events(running.id()).size();
        ConsoleHttp viewer = ConsoleHttp.login(port, "viewer", PASSWORD);

        String page = viewer.get(BASE + "/jobs/" + running.id()).body();

        assertThat(page).contains("data-live-stream=\"" + BASE + "/jobs/" + running.id() + "/stream?last_event_id=")
                .contains("data-live-events=\"").contains("status_changed");
        Matcher m = Pattern.compile("last_event_id=(\\d+)").matcher(page);
        assertThat(m.find()).isTrue();
        assertThat(Integer.parseInt(m.group(1))).isGreaterThanOrEqualTo(shown);
        provisioner.cancel(running.id(), "ops", "end of test");
    }

    private static List<String> all(Pattern p, String body) {
        List<String> found = new ArrayList<>();
        Matcher m = p.matcher(body);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    private static List<String> positions(int from, int to) {
        List<String> ids = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            ids.add(Integer.toString(i));
        }
        return ids;
    }
}
