package com.dotmac.provisioning.awx;

import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.CallbackSettings;
import com.dotmac.provisioning.ConnectionProfile;
import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.PlaybookVariables;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.ProvisioningRequest;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.TenantStatus;
import com.dotmac.provisioning.awx.fake.FakeAwx;
import com.dotmac.provisioning.awx.fake.LaunchRecord;
import com.dotmac.provisioning.awx.fake.SurveyQuestion;
import com.dotmac.provisioning.memory.InMemoryJobRepository;
import com.dotmac.provisioning.memory.InMemoryTenantDirectory;
import com.dotmac.provisioning.policy.RequestVariable;
import com.dotmac.provisioning.policy.RequestVariables;
import com.dotmac.provisioning.spi.AutomationException;
import com.dotmac.provisioning.spi.LaunchSpec;
import com.dotmac.provisioning.testkit.ManualScheduler;
import com.dotmac.provisioning.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Launches through a job template whose survey guards its variables ({@code survey_enabled} on,
 * {@code ask_variables_on_launch} off): the run gets exactly the survey's variables, the callback token is shown as
 * {@code $encrypted$} in AWX, and a variable the survey lacks fails the launch naming it, never its value.
 */
class AwxSurveyGuardLaunchTest extends FakeAwxTest {
    private static final Duration POLL = Duration.ofSeconds(15);
    private static final String TENANT = "t-200";
    private static final String TOKEN_VALUE = "cb-token-6a1f0e9d8c7b";
    private static final String PLAN_VALUE = "platinum-eu";

    private void guard(SurveyQuestion... questions) {
        fake.template(FakeAwx.PROVISION_TEMPLATE).askVariablesOnLaunch(false).surveyQuestions(questions);
    }

    @Test
    void aRunLaunchedThroughAGuardedTemplateGetsExactlyTheSurveysVariablesAndAwxHidesTheToken() throws Exception {
        guard(AwxSurveyGuardTest.provisionSurvey());
        AwxAutomationRunner runner = runner(b -> b.organizationId(null)
                .surveyVariables(AwxSurveyGuardTest.SURVEY_VARIABLES));
        assertThat(runner.health().summary()).contains("job template 14 (provision): variables guarded by its survey");
        MutableClock clock = MutableClock.atFixedStart();
        ManualScheduler scheduler = new ManualScheduler();
        InMemoryJobRepository repository = new InMemoryJobRepository();
        InMemoryTenantDirectory tenants = new InMemoryTenantDirectory().put(TENANT, "acme", "pending");
        fake.clock(clock);
        byte[] secret = "a-callback-secret-of-at-least-32-bytes!!".getBytes(StandardCharsets.UTF_8);
        TenantProvisioner provisioner = TenantProvisioner.builder().repository(repository).runner(runner)
                .tenantDirectory(tenants).scheduler(scheduler).clock(clock).nodeId("node-1").pollInterval(POLL)
                .requestVariables(RequestVariables.of(RequestVariable.string("plan").build()))
                .callback(new CallbackSettings("https://platform.example.com/api/v1/tenants/{tenant_id}/provisioning"
                        + "/jobs/{job_id}/callback", secret))
                .build();
        provisioner.start();
        ProvisioningJob end;
        try {
            String jobId = provisioner.request(ProvisioningRequest.builder(TENANT)
                    .deploymentMode(DeploymentMode.DOTMAC_HOSTED).extraVar("plan", "gold").build()).id();
            end = EngineSteps.runToEnd(provisioner, repository, scheduler, clock, POLL, jobId);
        } finally {
            provisioner.close();
        }

        assertThat(end.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(tenants.statusOf(TENANT)).isEqualTo(TenantStatus.PROVISIONED);
        LaunchRecord launch = fake.launches().get(0);
        String token = String.valueOf(launch.extraVars().get(PlaybookVariables.PLATFORM_CALLBACK_TOKEN));
        long awxJob = launch.jobId();
        String[] surveyVariables = Arrays.stream(AwxSurveyGuardTest.provisionSurvey()).map(SurveyQuestion::variable)
                .toArray(String[]::new);
        assertThat(fake.job(awxJob).orElseThrow().extraVars())
                .containsOnlyKeys(surveyVariables)
                .containsEntry(PlaybookVariables.PLATFORM_CALLBACK_TOKEN, token)
                .containsEntry(PlaybookVariables.PROVISIONING_JOB_ID, end.id())
                .containsEntry("plan", "gold");
        String detail = getJob(awxJob);
        assertThat(detail).doesNotContain(token);
        JsonNode shown = new JsonMapper().readTree(new JsonMapper().readTree(detail).path("extra_vars").asString());
        assertThat(shown.path(PlaybookVariables.PLATFORM_CALLBACK_TOKEN).asString()).isEqualTo("$encrypted$");
        assertThat(shown.path(PlaybookVariables.PROVISIONING_JOB_ID).asString()).isEqualTo(end.id());
    }

    @Test
    void aVariableTheSurveyLacksFailsTheLaunchNamingItButNeverItsValue() {
        guard(Stream.of(AwxSurveyGuardTest.provisionSurvey())
                .filter(q -> !q.variable().equals("plan") && !q.variable().equals("platform_callback_token"))
                .toArray(SurveyQuestion[]::new));
        LaunchSpec spec = Specs.withVar(Specs.withVar(Specs.withVar(withoutVar(Specs.dotmacHosted("acme"),
                "region"), "plan", PLAN_VALUE), PlaybookVariables.PLATFORM_CALLBACK_URL,
                "https://platform.example.com/cb"), PlaybookVariables.PLATFORM_CALLBACK_TOKEN, TOKEN_VALUE);

        AutomationException e = failure(() -> runner(b -> b.organizationId(null)).launch(spec));

        assertThat(e.isTransient()).isFalse();
        assertThat(e.errorCode()).isEqualTo(AwxErrorCodes.IGNORED_FIELDS);
        assertThat(e.getMessage()).contains("extra_vars (plan, platform_callback_token): job template 14 lets"
                + " through only the variables its survey lists (survey on, ask_variables_on_launch off) and its"
                + " survey has no question for these: add survey questions for them, or enable 'Prompt on launch'"
                + " for Variables (ask_variables_on_launch) on job template 14")
                .contains("it was cancelled")
                .doesNotContain(TOKEN_VALUE).doesNotContain(PLAN_VALUE).doesNotContain("[redacted]");
        LaunchRecord launch = fake.launches().get(0);
        assertThat(fake.job(launch.jobId()).orElseThrow().extraVars())
                .doesNotContainKeys("plan", PlaybookVariables.PLATFORM_CALLBACK_TOKEN)
                .containsKey(PlaybookVariables.PLATFORM_CALLBACK_URL);
        assertThat(fake.job(launch.jobId()).orElseThrow().cancelRequested()).isTrue();
    }

    @Test
    void aNonStringForATextQuestionIsRefusedWithAwxsMessage() {
        guard(Stream.concat(AwxSurveyGuardTest.contract("provision").stream()
                        .filter(q -> !q.variable().equals("deployment_mode")),
                Stream.of(SurveyQuestion.multipleChoice("deployment_mode", "dotmac_hosted", "customer_hosted"),
                        SurveyQuestion.text("connection_profile"))).toArray(SurveyQuestion[]::new));
        LaunchSpec spec = withoutVar(Specs.customerHosted("acme",
                new ConnectionProfile("203.0.113.10", 22, "deploy", "17")), "region");

        AutomationException e = failure(() -> runner().launch(spec));

        assertThat(e.errorCode()).isEqualTo(AwxErrorCodes.LAUNCH_REJECTED);
        assertThat(e.getMessage()).isEqualTo("AWX rejected the launch of job template 14: variables_needed_to_start:"
                + " Value {'host': '203.0.113.10', 'port': 22, 'user': 'deploy', 'credential_ref': '17'} for"
                + " 'connection_profile' expected to be a string.");
        assertThat(fake.launches()).singleElement().satisfies(l -> assertThat(l.jobId()).isNull());
    }

    @Test
    void unansweredQuestionsGetTheirDefaultsAsInAwx() {
        guard(Stream.concat(Stream.of(AwxSurveyGuardTest.provisionSurvey()),
                Stream.of(SurveyQuestion.text("region").optional().withDefault("eu-central-1")))
                .toArray(SurveyQuestion[]::new));
        LaunchSpec spec = Specs.withVar(Specs.withVar(withoutVar(Specs.dotmacHosted("acme"), "region"),
                PlaybookVariables.PLATFORM_CALLBACK_URL, "https://platform.example.com/cb"),
                PlaybookVariables.PLATFORM_CALLBACK_TOKEN, TOKEN_VALUE);

        long awxJob = Long.parseLong(runner(b -> b.organizationId(null)).launch(spec).runId());

        assertThat(fake.job(awxJob).orElseThrow().extraVars()).containsEntry("region", "eu-central-1")
                .containsEntry(PlaybookVariables.PLATFORM_CALLBACK_TOKEN, TOKEN_VALUE).doesNotContainKey("plan");
    }

    private String getJob(long awxJob) throws Exception {
        OkHttpClient client = new OkHttpClient();
        Request request = new Request.Builder().url(fake.baseUrl() + fake.apiPath().substring(1) + "jobs/" + awxJob
                + "/").header("Authorization", "Bearer " + FakeAwx.TOKEN).build();
        try (Response response = client.newCall(request).execute()) {
            assertThat(response.code()).isEqualTo(200);
            return response.body().string();
        } finally {
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }

    private static LaunchSpec withoutVar(LaunchSpec spec, String name) {
        Map<String, Object> vars = new LinkedHashMap<>(spec.extraVars());
        vars.remove(name);
        return new LaunchSpec(spec.job(), vars, spec.launchPendingSince());
    }
}
