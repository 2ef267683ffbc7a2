package com.dotmac.provisioning.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.EngineSettings;
import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.ansible.AnsiblePlaybookRunner;
import com.dotmac.provisioning.awx.AwxAutomationRunner;
import com.dotmac.provisioning.jdbc.JdbcJobRepository;
import com.dotmac.provisioning.jdbc.JdbcTenantDirectory;
import com.dotmac.provisioning.memory.InMemoryJobRepository;
import com.dotmac.provisioning.memory.InMemoryTenantDirectory;
import com.dotmac.provisioning.scripted.ScriptedAutomationRunner;
import com.dotmac.provisioning.spi.AutomationRunner;
import com.dotmac.provisioning.spi.JobRepository;
import com.dotmac.provisioning.spi.Scheduler;
import com.dotmac.provisioning.spi.Tenant;
import com.dotmac.provisioning.spi.TenantStatusChange;
import com.dotmac.provisioning.spi.TenantDirectory;
import com.dotmac.provisioning.spring.actuate.ProvisioningHealthIndicator;
import com.dotmac.provisioning.spring.actuate.ProvisioningMetrics;
import com.dotmac.provisioning.spring.web.OpenAccessPolicy;
import com.dotmac.provisioning.spring.web.ProvisioningAccessPolicy;
import com.dotmac.provisioning.spring.web.ProvisioningController;
import com.dotmac.provisioning.spring.web.SpringSecurityAccessPolicy;
import com.dotmac.provisioning.testkit.ManualScheduler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** Every condition of the auto-configuration, with ApplicationContextRunner. */
class ProvisioningAutoConfigurationTest {
    private static final AutoConfigurations ALL = AutoConfigurations.of(ProvisioningJdbcAutoConfiguration.class,
            ProvisioningAwxAutoConfiguration.class, ProvisioningAnsibleAutoConfiguration.class,
            ProvisioningAutoConfiguration.class,
            ProvisioningWebAutoConfiguration.class, ProvisioningActuatorAutoConfiguration.class);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(ALL)
            .withBean(TenantDirectory.class, InMemoryTenantDirectory::new)
            .withPropertyValues("provisioning.runner=scripted");

    private static DataSource h2() {
        return new DriverManagerDataSource("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
    }

    private static boolean tableExists(DataSource ds) throws Exception {
        try (Connection c = ds.getConnection();
                ResultSet rs = c.getMetaData().getTables(null, null, "TENANT_PROVISIONING_JOBS", null)) {
            return rs.next();
        }
    }

    private static String failureOf(Throwable startupFailure) {
        Throwable t = startupFailure;
        while (t != null && !(t instanceof ProvisioningConfigurationException)) {
            t = t.getCause();
        }
        assertThat(t).as("a ProvisioningConfigurationException caused the failure").isNotNull();
        FailureAnalysis analysis = new ProvisioningFailureAnalyzer().analyze(startupFailure);
        return analysis.getDescription() + " | " + analysis.getAction();
    }

    @Test
    void aScriptedSetupHasAProvisionerInMemory() {
        runner.run(ctx -> {
            assertThat(ctx).hasSingleBean(TenantProvisioner.class);
            assertThat(ctx).hasSingleBean(ProvisioningLifecycle.class);
            assertThat(ctx.getBean(JobRepository.class)).isInstanceOf(InMemoryJobRepository.class);
            assertThat(ctx.getBean(AutomationRunner.class)).isInstanceOf(ScriptedAutomationRunner.class);
            assertThat(ctx.getBean(Scheduler.class)).isInstanceOf(TaskSchedulerAdapter.class);
            assertThat(ctx.getBean(TenantProvisioner.class).isRunning()).isTrue();
        });
    }

    @Test
    void theEngineStopsWithTheContextPromptlyEvenWithWorkInFlight() {
        TenantProvisioner[] seen = new TenantProvisioner[1];
        ScriptedAutomationRunner[] automation = new ScriptedAutomationRunner[1];
        String[] jobId = new String[1];
        // the context runs and closes on its own thread; the test waits for that thread to finish, so a close that
        // waited for the run (which never ends: it hangs) would never be seen to finish, on any machine speed
        CompletableFuture<Void> contextClosed = CompletableFuture.runAsync(() -> runner
                .withPropertyValues("provisioning.engine.poll-interval=20ms", "provisioning.engine.sweep-interval=10ms")
                .run(ctx -> {
                    seen[0] = ctx.getBean(TenantProvisioner.class);
                    ((InMemoryTenantDirectory) ctx.getBean(TenantDirectory.class)).put("acme", "acme", "pending");
                    automation[0] = (ScriptedAutomationRunner) ctx.getBean(AutomationRunner.class);
                    automation[0].defaultScript(com.dotmac.provisioning.scripted.Script.hang());
                    jobId[0] = seen[0].request(com.dotmac.provisioning.ProvisioningRequest.provision("acme",
                            com.dotmac.provisioning.DeploymentMode.DOTMAC_HOSTED)).id();
                    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> seen[0]
                            .job(jobId[0]).orElseThrow().status() == com.dotmac.provisioning.JobStatus.IN_PROGRESS);
                }));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(contextClosed::isDone);
        assertThat(contextClosed).isCompleted();
        assertThat(seen[0].isRunning()).isFalse();
        // clock-free proof that close did not wait for the work in flight: the run still hangs, close neither
        // cancelled it nor ended the job, which stays in progress for the next start to pick up
        String runId = seen[0].job(jobId[0]).orElseThrow().runId();
        assertThat(seen[0].job(jobId[0]).orElseThrow().status())
                .isEqualTo(com.dotmac.provisioning.JobStatus.IN_PROGRESS);
        assertThat(automation[0].cancelRequests()).isEmpty();
        assertThat(automation[0].poll(java.util.List.of(runId)).get(runId).state())
                .isEqualTo(com.dotmac.provisioning.spi.RunState.RUNNING);
    }

    @Test
    void everythingCanBeSwitchedOff() {
        runner.withPropertyValues("provisioning.enabled=false")
                .run(ctx -> assertThat(ctx).doesNotHaveBean(TenantProvisioner.class)
                        .doesNotHaveBean(JobRepository.class));
    }

    @Test
    void withoutARunnerStartUpFailsSayingWhatToSet() {
        new ApplicationContextRunner().withConfiguration(ALL)
                .withBean(TenantDirectory.class, InMemoryTenantDirectory::new)
                .run(ctx -> assertThat(failureOf(ctx.getStartupFailure()))
                        .contains("no automation runner is configured")
                        .contains("provisioning.awx.base-url").contains("provisioning.ansible.project-dir"));
    }

    @Test
    void withoutATenantDirectoryStartUpFailsSayingWhatToSet() {
        new ApplicationContextRunner().withConfiguration(ALL).withPropertyValues("provisioning.runner=scripted")
                .run(ctx -> assertThat(failureOf(ctx.getStartupFailure()))
                        .contains("no tenant directory").contains("provisioning.tenants.table"));
    }

    @Test
    void theHostsOwnBeansWin() {
        InMemoryJobRepository repository = new InMemoryJobRepository();
        ScriptedAutomationRunner automation = new ScriptedAutomationRunner(Clock.systemUTC());
        ManualScheduler scheduler = new ManualScheduler();
        runner.withBean(JobRepository.class, () -> repository)
                .withBean(AutomationRunner.class, () -> automation)
                .withBean(Scheduler.class, () -> scheduler)
                .withBean(DataSource.class, ProvisioningAutoConfigurationTest::h2)
                .withPropertyValues("provisioning.runner=awx", "provisioning.awx.base-url=https://awx.example.com")
                .run(ctx -> {
                    assertThat(ctx.getBean(JobRepository.class)).isSameAs(repository);
                    assertThat(ctx.getBean(AutomationRunner.class)).isSameAs(automation);
                    assertThat(ctx.getBean(Scheduler.class)).isSameAs(scheduler);
                    assertThat(ctx.getBean(TenantProvisioner.class).repository()).isSameAs(repository);
                    assertThat(ctx.getBean(TenantProvisioner.class).runner()).isSameAs(automation);
                });
    }

    @Test
    void aDataSourceMakesJobsDurableAndAnEmbeddedDatabaseGetsItsTables() {
        DataSource ds = h2();
        runner.withBean(DataSource.class, () -> ds).run(ctx -> {
            assertThat(ctx.getBean(JobRepository.class)).isInstanceOf(JdbcJobRepository.class);
            assertThat(tableExists(ds)).isTrue();
        });
    }

    @Test
    void initializeSchemaNeverLeavesTheDatabaseAlone() {
        DataSource ds = h2();
        runner.withBean(DataSource.class, () -> ds).withPropertyValues("provisioning.jdbc.initialize-schema=never")
                .run(ctx -> {
                    assertThat(ctx.getBean(JobRepository.class)).isInstanceOf(JdbcJobRepository.class);
                    assertThat(tableExists(ds)).isFalse();
                });
    }

    @Test
    void withoutTheJdbcModuleJobsStayInMemory() {
        runner.withBean(DataSource.class, ProvisioningAutoConfigurationTest::h2)
                .withClassLoader(new FilteredClassLoader(JdbcJobRepository.class))
                .run(ctx -> assertThat(ctx.getBean(JobRepository.class)).isInstanceOf(InMemoryJobRepository.class));
    }

    @Test
    void aTenantsTableGivesAJdbcTenantDirectory() throws Exception {
        DataSource ds = h2();
        // the mapped columns, and decoys with the default names, so that a directory ignoring the mapping reads or
        // writes the wrong column
        execute(ds, "CREATE TABLE customers (id VARCHAR(40), slug VARCHAR(40), status VARCHAR(40), "
                + "customer_id VARCHAR(40) PRIMARY KEY, subdomain VARCHAR(40), state VARCHAR(40))");
        execute(ds, "INSERT INTO customers VALUES ('decoy-id', 'decoy-slug', 'decoy-status', 'c-1', 'acme', 'new')");
        new ApplicationContextRunner().withConfiguration(ALL)
                .withBean(DataSource.class, () -> ds)
                .withPropertyValues("provisioning.runner=scripted", "provisioning.tenants.table=customers",
                        "provisioning.tenants.id-column=customer_id", "provisioning.tenants.slug-column=subdomain",
                        "provisioning.tenants.status-column=state")
                .run(ctx -> {
                    TenantDirectory directory = ctx.getBean(TenantDirectory.class);
                    assertThat(directory).isInstanceOf(JdbcTenantDirectory.class);
                    assertThat(directory.find("c-1")).contains(new Tenant("c-1", "acme", "new"));
                    assertThat(directory.find("decoy-id")).isEmpty();
                    directory.applyStatus("c-1", "provisioning", new TenantStatusChange("job-1", Operation.PROVISION,
                            JobStatus.QUEUED));
                    assertThat(row(ds)).containsExactly("decoy-id", "decoy-slug", "decoy-status", "c-1", "acme",
                            "provisioning");
                    assertThat(directory.find("c-1")).map(Tenant::status).contains("provisioning");
                });
    }

    private static void execute(DataSource ds, String sql) throws Exception {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static List<String> row(DataSource ds) throws Exception {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT id, slug, status, customer_id, subdomain, state FROM customers")) {
            assertThat(rs.next()).isTrue();
            List<String> row = new ArrayList<>();
            for (int i = 1; i <= 6; i++) {
                row.add(rs.getString(i));
            }
            assertThat(rs.next()).as("one row").isFalse();
            return row;
        }
    }

    @Test
    void aTenantsTableThatIsNotAnIdentifierIsRefused() {
        new ApplicationContextRunner().withConfiguration(ALL)
                .withBean(DataSource.class, ProvisioningAutoConfigurationTest::h2)
                .withPropertyValues("provisioning.runner=scripted", "provisioning.tenants.table=tenants; drop table x")
                .run(ctx -> assertThat(failureOf(ctx.getStartupFailure())).contains("provisioning.tenants"));
    }

    @Test
    void anAwxBaseUrlSelectsTheAwxRunner() {
        new ApplicationContextRunner().withConfiguration(ALL)
                .withBean(TenantDirectory.class, InMemoryTenantDirectory::new)
                .withPropertyValues("provisioning.awx.base-url=https://awx.example.com",
                        "provisioning.awx.token=secret-token-value", "provisioning.awx.job-templates.provision=14")
                .run(ctx -> {
                    assertThat(ctx.getBean(AutomationRunner.class)).isInstanceOf(AwxAutomationRunner.class);
                    assertThat(ctx.getBean(AutomationRunner.class).toString()).doesNotContain("secret-token-value");
                });
    }

    @Test
    void theAwxLaunchSettleTimeFollowsTheReadTimeoutUnlessSet() {
        String[] awx = {"provisioning.awx.base-url=https://awx.example.com", "provisioning.awx.token=t",
            "provisioning.awx.job-templates.provision=14", "provisioning.awx.read-timeout=20s"};
        new ApplicationContextRunner().withConfiguration(ALL)
                .withBean(TenantDirectory.class, InMemoryTenantDirectory::new)
                .withPropertyValues(awx)
                .run(ctx -> assertThat(ctx.getBean(AutomationRunner.class).launchSettleTime())
                        .isEqualTo(java.time.Duration.ofSeconds(40)));
        new ApplicationContextRunner().withConfiguration(ALL)
                .withBean(TenantDirectory.class, InMemoryTenantDirectory::new)
                .withPropertyValues(awx)
                .withPropertyValues("provisioning.awx.launch-settle-time=3m")
                .run(ctx -> assertThat(ctx.getBean(AutomationRunner.class).launchSettleTime())
                        .isEqualTo(java.time.Duration.ofMinutes(3)));
    }

    @Test
    void awxRequestsAreTimedByOutcomeWhenMicrometerIsThere() {
        new ApplicationContextRunner().withConfiguration(ALL)
                .withBean(TenantDirectory.class, InMemoryTenantDirectory::new)
                .withBean(SimpleMeterRegistry.class, SimpleMeterRegistry::new)
                .withPropertyValues("provisioning.awx.base-url=https://awx.example.com",
                        "provisioning.awx.token=t", "provisioning.awx.job-templates.provision=14")
                .run(ctx -> {
                    assertThat(ctx).hasSingleBean(com.dotmac.provisioning.spring.actuate.AwxRequestMetrics.class);
                    assertThat(ctx.getBean(AwxAutomationRunner.class).config().requestListener())
                            .isSameAs(ctx.getBean(com.dotmac.provisioning.spring.actuate.AwxRequestMetrics.class));
                });
    }

    @Test
    void awxWithoutCredentialsOrTemplatesFailsClearly() {
        ApplicationContextRunner awx = new ApplicationContextRunner().withConfiguration(ALL)
                .withBean(TenantDirectory.class, InMemoryTenantDirectory::new)
                .withPropertyValues("provisioning.awx.base-url=https://awx.example.com");
        awx.run(ctx -> assertThat(failureOf(ctx.getStartupFailure())).contains("provisioning.awx.token"));
        awx.withPropertyValues("provisioning.awx.token=t")
                .run(ctx -> assertThat(failureOf(ctx.getStartupFailure()))
                        .contains("provisioning.awx.job-templates.provision"));
        new ApplicationContextRunner().withConfiguration(ALL)
                .withBean(TenantDirectory.class, InMemoryTenantDirectory::new)
                .withPropertyValues("provisioning.runner=awx")
                .run(ctx -> assertThat(failureOf(ctx.getStartupFailure())).contains("provisioning.awx.base-url"));
    }

    @Test
    void anAnsibleProjectSelectsTheLocalRunnerUnlessAwxIsConfigured(@TempDir Path project, @TempDir Path runs) {
        ApplicationContextRunner local = new ApplicationContextRunner().withConfiguration(ALL)
                .withBean(TenantDirectory.class, InMemoryTenantDirectory::new)
                .withPropertyValues("provisioning.ansible.project-dir=" + project,
                        "provisioning.ansible.workspace=" + runs.resolve("w"),
                        "provisioning.ansible.max-concurrent-runs=3",
                        "provisioning.ansible.extra-vars.tenant_workspace_root=/srv/tenants-test");
        local.run(ctx -> {
            AnsiblePlaybookRunner runner = ctx.getBean(AnsiblePlaybookRunner.class);
            assertThat(ctx.getBean(AutomationRunner.class)).isSameAs(runner);
            assertThat(runner.maxConcurrentRuns()).isEqualTo(3);
            assertThat(runner.config().fixedExtraVars()).containsEntry("tenant_workspace_root", "/srv/tenants-test");
        });
        local.withPropertyValues("provisioning.awx.base-url=https://awx.example.com", "provisioning.awx.token=t",
                "provisioning.awx.job-templates.provision=14")
                .run(ctx -> assertThat(ctx.getBean(AutomationRunner.class)).isInstanceOf(AwxAutomationRunner.class));
        local.withPropertyValues("provisioning.ansible.extra-vars.tenant_id=forged")
                .run(ctx -> assertThat(failureOf(ctx.getStartupFailure())).contains("provisioning.ansible"));
        new ApplicationContextRunner().withConfiguration(ALL)
                .withBean(TenantDirectory.class, InMemoryTenantDirectory::new)
                .withPropertyValues("provisioning.runner=ansible")
                .run(ctx -> assertThat(failureOf(ctx.getStartupFailure()))
                        .contains("provisioning.ansible.project-dir"));
    }

    @Test
    void aHalfConfiguredCallbackFailsClearly() {
        runner.withPropertyValues("provisioning.callback.base-url=https://platform.example.com")
                .run(ctx -> assertThat(failureOf(ctx.getStartupFailure())).contains("half configured"));
        runner.withPropertyValues("provisioning.callback.base-url=https://platform.example.com",
                "provisioning.callback.secret=short")
                .run(ctx -> assertThat(failureOf(ctx.getStartupFailure())).contains("too short")
                        .doesNotContain("short |"));
    }

    @Test
    void theEngineSettingsComeFromProperties() {
        runner.withPropertyValues("provisioning.engine.poll-interval=3s", "provisioning.engine.job-timeout=45m",
                "provisioning.engine.max-concurrent-runs=25", "provisioning.engine.node-id=node-7")
                .run(ctx -> {
                    EngineSettings s = ctx.getBean(TenantProvisioner.class).settings();
                    assertThat(s.pollInterval()).hasSeconds(3);
                    assertThat(s.jobTimeout()).hasMinutes(45);
                    assertThat(s.maxConcurrentRuns()).isEqualTo(25);
                    assertThat(s.nodeId()).isEqualTo("node-7");
                });
    }

    @Test
    void thePendingTimeoutComesFromItsProperty() {
        runner.withPropertyValues("provisioning.engine.pending-timeout=12m", "provisioning.engine.node-id=node-8")
                .run(ctx -> assertThat(ctx.getBean(TenantProvisioner.class).settings().pendingTimeout())
                        .isEqualTo(Duration.ofMinutes(12)));
        runner.withPropertyValues("provisioning.engine.node-id=node-8")
                .run(ctx -> assertThat(ctx.getBean(TenantProvisioner.class).settings().pendingTimeout())
                        .isEqualTo(EngineSettings.DEFAULT_PENDING_TIMEOUT));
    }

    @Test
    void theCallbackSafetyPollIsAnEngineProperty() {
        runner.withPropertyValues("provisioning.engine.node-id=node-8",
                "provisioning.engine.callback-safety-poll-every=6")
                .run(ctx -> assertThat(ctx.getBean(TenantProvisioner.class).settings().callbackSafetyPollEvery())
                        .isEqualTo(6));
    }

    @Test
    void everyEngineSettingHasAProperty() {
        runner.withPropertyValues("provisioning.engine.node-id=node-9", "provisioning.engine.poll-interval=4s",
                "provisioning.engine.sweep-interval=3s", "provisioning.engine.job-timeout=50m",
                "provisioning.engine.lease-duration=6m", "provisioning.engine.max-concurrent-runs=12",
                "provisioning.engine.max-launch-attempts=4", "provisioning.engine.retry-initial-delay=20s",
                "provisioning.engine.retry-max-delay=15m", "provisioning.engine.cancel-grace=3m",
                "provisioning.callback.grace=11m", "provisioning.engine.claim-batch-size=25",
                "provisioning.engine.runner-call-timeout=45s")
                .run(ctx -> {
                    EngineSettings settings = ctx.getBean(TenantProvisioner.class).settings();
                    assertThat(settings).usingRecursiveComparison().ignoringFields("runnerCallTimeout").isEqualTo(
                            new EngineSettings("node-9", Duration.ofSeconds(4), Duration.ofSeconds(3),
                                    Duration.ofMinutes(50), Duration.ofMinutes(6), 12, 4, Duration.ofSeconds(20),
                                    Duration.ofMinutes(15), Duration.ofMinutes(3), Duration.ofMinutes(11), 25));
                    assertThat(settings.runnerCallTimeout()).isEqualTo(Duration.ofSeconds(45));
                });
    }

    @Test
    void withoutEnginePropertiesTheEngineHasTheLibrarysDefaults() {
        runner.withPropertyValues("provisioning.engine.node-id=node-9").run(ctx -> assertThat(
                ctx.getBean(TenantProvisioner.class).settings()).isEqualTo(EngineSettings.defaults("node-9")));
    }

    @Test
    void propertyDefaultsAreTheLibrarysDefaults() {
        EngineProperties engine = new ProvisioningProperties().getEngine();
        assertThat(engine.getPollInterval()).isEqualTo(EngineSettings.DEFAULT_POLL_INTERVAL);
        assertThat(engine.getSweepInterval()).isEqualTo(EngineSettings.DEFAULT_SWEEP_INTERVAL);
        assertThat(engine.getJobTimeout()).isEqualTo(EngineSettings.DEFAULT_JOB_TIMEOUT);
        assertThat(engine.getLeaseDuration()).isEqualTo(EngineSettings.DEFAULT_LEASE_DURATION);
        assertThat(engine.getMaxConcurrentRuns()).isEqualTo(EngineSettings.DEFAULT_MAX_CONCURRENT_RUNS);
        assertThat(engine.getMaxLaunchAttempts()).isEqualTo(EngineSettings.DEFAULT_MAX_LAUNCH_ATTEMPTS);
        assertThat(engine.getRetryInitialDelay()).isEqualTo(EngineSettings.DEFAULT_RETRY_INITIAL_DELAY);
        assertThat(engine.getRetryMaxDelay()).isEqualTo(EngineSettings.DEFAULT_RETRY_MAX_DELAY);
        assertThat(engine.getCancelGrace()).isEqualTo(EngineSettings.DEFAULT_CANCEL_GRACE);
        assertThat(engine.getClaimBatchSize()).isEqualTo(EngineSettings.DEFAULT_CLAIM_BATCH_SIZE);
        assertThat(new ProvisioningProperties().getAwx().getConnectTimeout())
                .isEqualTo(com.dotmac.provisioning.awx.AwxConfig.DEFAULT_CONNECT_TIMEOUT);
        assertThat(new ProvisioningProperties().getAwx().getReadTimeout())
                .isEqualTo(com.dotmac.provisioning.awx.AwxConfig.DEFAULT_READ_TIMEOUT);
    }

    // ---- web --------------------------------------------------------------------------------------------------------

    private final WebApplicationContextRunner web = new WebApplicationContextRunner()
            .withConfiguration(ALL)
            .withBean(TenantDirectory.class, InMemoryTenantDirectory::new)
            .withPropertyValues("provisioning.runner=scripted");

    @Test
    void withSpringSecurityTheApiChecksAuthorities() {
        web.run(ctx -> {
            assertThat(ctx).hasSingleBean(ProvisioningController.class);
            assertThat(ctx.getBean(ProvisioningAccessPolicy.class)).isInstanceOf(SpringSecurityAccessPolicy.class);
        });
    }

    @Test
    void withoutSpringSecurityNothingIsExposed() {
        web.withClassLoader(new FilteredClassLoader("org.springframework.security"))
                .run(ctx -> assertThat(ctx).doesNotHaveBean(ProvisioningController.class)
                        .doesNotHaveBean(ProvisioningAccessPolicy.class));
    }

    @Test
    void securityNoneExposesTheApiWithoutChecks() {
        web.withClassLoader(new FilteredClassLoader("org.springframework.security"))
                .withPropertyValues("provisioning.web.security=none")
                .run(ctx -> {
                    assertThat(ctx).hasSingleBean(ProvisioningController.class);
                    assertThat(ctx.getBean(ProvisioningAccessPolicy.class)).isInstanceOf(OpenAccessPolicy.class);
                });
    }

    @Test
    void theApiCanBeSwitchedOffAndIsAbsentOutsideWebApplications() {
        web.withPropertyValues("provisioning.web.enabled=false")
                .run(ctx -> assertThat(ctx).doesNotHaveBean(ProvisioningController.class));
        runner.run(ctx -> assertThat(ctx).doesNotHaveBean(ProvisioningController.class));
    }

    // ---- actuator -------------------------------------------------------------------------------------------------

    @Test
    void healthAndMetricsComeWithTheirLibraries() {
        runner.withBean(SimpleMeterRegistry.class, SimpleMeterRegistry::new).run(ctx -> {
            assertThat(ctx).hasSingleBean(ProvisioningHealthIndicator.class);
            assertThat(ctx).hasSingleBean(ProvisioningMetrics.class);
            assertThat(ctx.getBean(ProvisioningHealthIndicator.class).health().getStatus().getCode())
                    .isEqualTo("UP");
        });
        runner.run(ctx -> assertThat(ctx).doesNotHaveBean(ProvisioningMetrics.class));
        runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.health"))
                .run(ctx -> assertThat(ctx).doesNotHaveBean(ProvisioningHealthIndicator.class));
    }
}
