package com.dotmac.provisioning.awx;

import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.PlaybookVariables;
import com.dotmac.provisioning.awx.fake.FakeAwx;
import com.dotmac.provisioning.awx.fake.RecordedCall;
import com.dotmac.provisioning.awx.fake.RunScript;
import com.dotmac.provisioning.spi.LaunchSpec;
import com.dotmac.provisioning.spi.LaunchedRun;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

/** findRuns: the template's recent jobs, matched on provisioning_job_id in their extra_vars. */
class AwxFindRunsTest extends FakeAwxTest {
    private static final String TEMPLATE_JOBS = "job_templates/\\d+/jobs/";
    private final Instant since = Instant.parse("2026-03-02T10:00:00Z");

    private LaunchSpec spec() {
        return Specs.spec("acme", Operation.PROVISION, DeploymentMode.DOTMAC_HOSTED, null, null, since);
    }

    private long addJob(long template, String correlationId, Instant created) {
        return fake.addJob(template, Map.of(PlaybookVariables.PROVISIONING_JOB_ID, correlationId, "region", "eu"),
                created, RunScript.hang());
    }

    @Test
    void findsTheJobCarryingTheCorrelationId() {
        LaunchSpec spec = spec();
        addJob(FakeAwx.PROVISION_TEMPLATE, "another-job", since.plusSeconds(1));
        long ours = addJob(FakeAwx.PROVISION_TEMPLATE, spec.correlationId(), since.plusSeconds(2));
        addJob(FakeAwx.PROVISION_TEMPLATE, "a-third-job", since.plusSeconds(3));

        var found = runner().findRuns(spec).stream().findFirst();

        assertThat(found).contains(new LaunchedRun(String.valueOf(ours), FakeAwx.PROVISION_TEMPLATE));
        HttpUrl query = url(fake.calls("GET", TEMPLATE_JOBS).get(0));
        assertThat(query.encodedPath()).isEqualTo("/api/v2/job_templates/14/jobs/");
        assertThat(query.queryParameter("created__gte"))
                .isEqualTo(since.minus(AwxConfig.DEFAULT_FIND_LAUNCHED_CLOCK_SKEW).toString());
        assertThat(query.queryParameter("order_by")).isEqualTo("-id");
        assertThat(query.queryParameterNames()).noneMatch(name -> name.startsWith("extra_vars"));
    }

    @Test
    void nothingIsFoundWhenNoJobCarriesIt() {
        addJob(FakeAwx.PROVISION_TEMPLATE, "another-job", since.plusSeconds(1));

        assertThat(runner().findRuns(spec()).stream().findFirst()).isEmpty();
    }

    @Test
    void jobsOfOtherTemplatesAndBeforeTheWindowAreNotConsidered() {
        LaunchSpec spec = spec();
        addJob(FakeAwx.UPGRADE_TEMPLATE, spec.correlationId(), since.plusSeconds(1));
        addJob(FakeAwx.PROVISION_TEMPLATE, spec.correlationId(), since.minus(Duration.ofHours(1)));

        assertThat(runner().findRuns(spec).stream().findFirst()).isEmpty();
    }

    @Test
    void aJobJustBeforeTheLaunchAttemptIsFoundDespiteClockSkew() {
        LaunchSpec spec = spec();
        long ours = addJob(FakeAwx.PROVISION_TEMPLATE, spec.correlationId(), since.minusSeconds(90));

        assertThat(runner().findRuns(spec).stream().findFirst()).map(LaunchedRun::runId).contains(String.valueOf(ours));
    }

    @Test
    void pagesAreFollowed() {
        LaunchSpec spec = spec();
        long ours = addJob(FakeAwx.PROVISION_TEMPLATE, spec.correlationId(), since.plusSeconds(1));
        for (int i = 0; i < 450; i++) {
            addJob(FakeAwx.PROVISION_TEMPLATE, "other-" + i, since.plusSeconds(2 + i));
        }

        var found = runner(b -> b.apiPath("/api/v2/")).findRuns(spec).stream().findFirst();

        assertThat(found).map(LaunchedRun::runId).contains(String.valueOf(ours));
        List<RecordedCall> pages = fake.calls("GET", TEMPLATE_JOBS);
        assertThat(pages).extracting(c -> url(c).queryParameter("page")).containsExactly(null, "2", "3");
    }

    @Test
    void theJobsOwnTemplateIsSearched() {
        fake.template(77);
        LaunchSpec spec = Specs.spec("acme", Operation.PROVISION, DeploymentMode.DOTMAC_HOSTED, null, 77L, since);
        long ours = addJob(77, spec.correlationId(), since.plusSeconds(1));

        assertThat(runner().findRuns(spec).stream().findFirst())
                .contains(new LaunchedRun(String.valueOf(ours), 77L));
    }

    @Test
    void ofTwoRunsOfOneJobTheOldestIsFollowed() {
        LaunchSpec spec = spec();
        long first = addJob(FakeAwx.PROVISION_TEMPLATE, spec.correlationId(), since.plusSeconds(1));
        addJob(FakeAwx.PROVISION_TEMPLATE, spec.correlationId(), since.plusSeconds(5));

        assertThat(runner().findRuns(spec).stream().findFirst())
                .map(LaunchedRun::runId).contains(String.valueOf(first));
    }

    @Test
    void manyJobsAreLookedForWithOneListingPerTemplate() {
        LaunchSpec first = spec();
        LaunchSpec second = Specs.spec("bravo", Operation.PROVISION, DeploymentMode.DOTMAC_HOSTED, null, null,
                since.plusSeconds(30));
        LaunchSpec upgrade = Specs.spec("carol", Operation.UPGRADE, DeploymentMode.DOTMAC_HOSTED, null, null,
                since.plusSeconds(60));
        LaunchSpec none = Specs.spec("delta", Operation.PROVISION, DeploymentMode.DOTMAC_HOSTED, null, null, since);
        long firstRun = addJob(FakeAwx.PROVISION_TEMPLATE, first.correlationId(), since.plusSeconds(1));
        long secondA = addJob(FakeAwx.PROVISION_TEMPLATE, second.correlationId(), since.plusSeconds(31));
        long secondB = addJob(FakeAwx.PROVISION_TEMPLATE, second.correlationId(), since.plusSeconds(32));
        long upgradeRun = addJob(FakeAwx.UPGRADE_TEMPLATE, upgrade.correlationId(), since.plusSeconds(61));
        addJob(FakeAwx.PROVISION_TEMPLATE, "another-job", since.plusSeconds(2));

        Map<String, List<LaunchedRun>> found = runner().findRunsOfJobs(List.of(first, second, upgrade, none));

        assertThat(found).containsOnlyKeys(first.correlationId(), second.correlationId(), upgrade.correlationId());
        assertThat(found.get(first.correlationId())).extracting(LaunchedRun::runId)
                .containsExactly(String.valueOf(firstRun));
        assertThat(found.get(second.correlationId())).extracting(LaunchedRun::runId)
                .containsExactly(String.valueOf(secondA), String.valueOf(secondB));
        assertThat(found.get(upgrade.correlationId())).extracting(LaunchedRun::runId)
                .containsExactly(String.valueOf(upgradeRun));
        List<RecordedCall> listings = fake.calls("GET", TEMPLATE_JOBS);
        assertThat(listings).extracting(c -> url(c).encodedPath())
                .containsExactlyInAnyOrder("/api/v2/job_templates/14/jobs/", "/api/v2/job_templates/15/jobs/");
        assertThat(listings).filteredOn(c -> url(c).encodedPath().contains("/14/")).singleElement()
                .satisfies(c -> assertThat(url(c).queryParameter("created__gte"))
                        .isEqualTo(since.minus(AwxConfig.DEFAULT_FIND_LAUNCHED_CLOCK_SKEW).toString()));
    }

    private HttpUrl url(RecordedCall call) {
        return HttpUrl.get(fake.baseUrl()).resolve(call.path() + "?" + call.query());
    }
}
