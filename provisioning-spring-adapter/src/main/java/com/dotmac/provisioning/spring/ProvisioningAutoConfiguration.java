package com.dotmac.provisioning.spring;

import com.dotmac.provisioning.CallbackSettings;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.retry.Backoff;
import com.dotmac.provisioning.memory.InMemoryCredentialPolicy;
import com.dotmac.provisioning.events.EventConsumer;
import com.dotmac.provisioning.memory.InMemoryJobRepository;
import com.dotmac.provisioning.memory.InMemoryRolloutRepository;
import com.dotmac.provisioning.policy.RequestVariables;
import com.dotmac.provisioning.policy.TemplateOverrides;
import com.dotmac.provisioning.scripted.ScriptedAutomationRunner;
import com.dotmac.provisioning.spi.AutomationRunner;
import com.dotmac.provisioning.spi.CredentialPolicy;
import com.dotmac.provisioning.spi.JobListener;
import com.dotmac.provisioning.spi.JobRepository;
import com.dotmac.provisioning.spi.RolloutRepository;
import com.dotmac.provisioning.spi.Scheduler;
import com.dotmac.provisioning.spi.TenantCredential;
import com.dotmac.provisioning.spi.TenantDirectory;
import com.dotmac.provisioning.state.OperationPolicy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.util.StringUtils;

/**
 * The {@link TenantProvisioner}, started and stopped with the context. Optional integrations contribute the
 * repository ({@link ProvisioningJdbcAutoConfiguration}), the runner ({@link ProvisioningAwxAutoConfiguration},
 * {@link ProvisioningAnsibleAutoConfiguration}), the REST API ({@link ProvisioningWebAutoConfiguration}) and health
 * and metrics ({@link ProvisioningActuatorAutoConfiguration}). Every bean backs off when the host defines its own.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "provisioning.enabled", matchIfMissing = true)
@EnableConfigurationProperties({ProvisioningProperties.class, ProvisioningRequestProperties.class,
        ProvisioningCredentialsProperties.class})
public class ProvisioningAutoConfiguration {
    private static final Logger log = LoggerFactory.getLogger(ProvisioningAutoConfiguration.class);

    /** Name of the task scheduler the engine runs on. */
    public static final String TASK_SCHEDULER_BEAN = "provisioningTaskScheduler";

    /**
     * @param beans the context, asked whether any {@link EventConsumer} bean (the webhooks' included) is defined
     * @return jobs in memory, when no repository (e.g. JDBC) is configured; with the outbox on when an
     *     {@link EventConsumer} bean is defined
     */
    @Bean
    @ConditionalOnMissingBean(JobRepository.class)
    public InMemoryJobRepository provisioningJobRepository(ListableBeanFactory beans) {
        log.warn("Tenant provisioning keeps jobs in memory: they are lost on restart and not shared between nodes. "
                + "Add provisioning-jdbc and a DataSource for durable jobs.");
        return eventsWanted(beans) ? InMemoryJobRepository.recordingEvents() : new InMemoryJobRepository();
    }

    /**
     * @param jobs the in-memory job repository (whose outbox gets the rollouts' events when it records events)
     * @return rollouts in memory, when the jobs are in memory too (the auto-configured
     *     {@link InMemoryJobRepository}) and no rollout repository is configured; a durable job repository gets a
     *     durable rollout repository of its own kind (JDBC: {@link ProvisioningJdbcAutoConfiguration})
     */
    @Bean
    @ConditionalOnMissingBean(RolloutRepository.class)
    @ConditionalOnBean(InMemoryJobRepository.class)
    public InMemoryRolloutRepository provisioningRolloutRepository(InMemoryJobRepository jobs) {
        return jobs.recordsEvents() ? new InMemoryRolloutRepository(jobs) : new InMemoryRolloutRepository();
    }

    /**
     * @param beans the context
     * @return whether an {@link EventConsumer} bean is defined, so the repositories must store events in the
     *     outbox
     */
    static boolean eventsWanted(ListableBeanFactory beans) {
        return beans.getBeanNamesForType(EventConsumer.class, true, false).length > 0;
    }

    /** @return simulated runs, when {@code provisioning.runner=scripted} */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(name = "provisioning.runner", havingValue = "scripted")
    public AutomationRunner provisioningScriptedRunner() {
        log.warn("provisioning.runner=scripted: automation runs are SIMULATED; no tenant environment is built");
        return new ScriptedAutomationRunner(Clock.systemUTC());
    }

    /**
     * @return the request extra vars the platform accepts ({@code provisioning.request.extra-vars.*}, else plan and
     *     region)
     * @throws ProvisioningConfigurationException when a declaration is not allowed
     */
    @Bean
    @ConditionalOnMissingBean
    public RequestVariables provisioningRequestVariables(ProvisioningRequestProperties properties) {
        try {
            RequestVariables variables = properties.toRequestVariables();
            log.info("requests may set the extra vars {}", variables.names());
            return variables;
        } catch (IllegalArgumentException e) {
            throw new ProvisioningConfigurationException("provisioning.request.extra-vars is not usable: "
                    + e.getMessage(), "Declare only your own variables; names starting with tenant_ or platform_,"
                            + " ansible_, awx_ or tower_ and the contract variables belong to the library and the"
                            + " Ansible content (ansible/variables.yml).");
        }
    }

    /**
     * @return the template overrides requests may name ({@code provisioning.request.template-overrides.*}, default
     *     none)
     * @throws ProvisioningConfigurationException when an id is not positive
     */
    @Bean
    @ConditionalOnMissingBean
    public TemplateOverrides provisioningTemplateOverrides(ProvisioningRequestProperties properties) {
        try {
            return properties.toTemplateOverrides();
        } catch (IllegalArgumentException e) {
            throw new ProvisioningConfigurationException("provisioning.request.template-overrides is not usable: "
                    + e.getMessage(), "List positive job template ids.");
        }
    }

    /**
     * @return the credentials registered by property ({@code provisioning.credentials.tenants.*}); none when empty
     * @throws ProvisioningConfigurationException when a registration is not valid
     */
    @Bean
    @ConditionalOnMissingBean
    public CredentialPolicy provisioningCredentialPolicy(ProvisioningCredentialsProperties properties) {
        try {
            List<TenantCredential> registrations = properties.registrations();
            if (registrations.isEmpty()) {
                log.info("no tenant credentials are registered: customer_hosted requests are refused (register them"
                        + " with provisioning.credentials.tenants.<tenant>.<reference>.runner-credential, or"
                        + " provisioning.credentials.table)");
            }
            return InMemoryCredentialPolicy.of(registrations);
        } catch (IllegalArgumentException e) {
            throw new ProvisioningConfigurationException("provisioning.credentials.tenants is not usable: "
                    + e.getMessage(), "Register references and runner credentials as names (never key material),"
                            + " and hosts as host names or IP addresses.");
        }
    }

    /**
     * @return the threads the engine works on: 3, plus the adapter's timer thread for the heartbeat and the runner
     *     calls' time bounds ({@link TaskSchedulerAdapter}), so 4 engine threads
     */
    @Bean(name = TASK_SCHEDULER_BEAN)
    @ConditionalOnMissingBean(name = TASK_SCHEDULER_BEAN)
    public ThreadPoolTaskScheduler provisioningTaskScheduler() {
        ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
        scheduler.setPoolSize(3);
        scheduler.setThreadNamePrefix("provisioning-");
        scheduler.setDaemon(true);
        // Stop after the engine (ProvisioningLifecycle): the scheduler's own lifecycle stop pauses it and waits for
        // the running steps; work still queued then is dropped at shutdown (the next sweep, here or on another node,
        // picks the jobs up). Cancelled periodic tasks leave the queue at once, so a paused worker never waits on one.
        scheduler.setPhase(ProvisioningLifecycle.PHASE - 1);
        scheduler.setAcceptTasksAfterContextClose(true);
        scheduler.setRemoveOnCancelPolicy(true);
        scheduler.setWaitForTasksToCompleteOnShutdown(false);
        scheduler.setAwaitTerminationSeconds(10);
        scheduler.setErrorHandler(t -> log.error("a provisioning task failed; it runs again at its next turn", t));
        return scheduler;
    }

    /** @return the engine's scheduler on the task scheduler */
    @Bean
    @ConditionalOnMissingBean
    public Scheduler provisioningScheduler(@Qualifier(TASK_SCHEDULER_BEAN) ThreadPoolTaskScheduler taskScheduler) {
        return new TaskSchedulerAdapter(taskScheduler);
    }

    /**
     * The provisioner: the properties first, then the {@link RolloutRepository} bean (when there is one: without it,
     * rollouts are refused), the {@link JobListener} beans and the {@link EventConsumer} beans (each registered under
     * its bean name; the repositories then store events in the outbox), then every
     * {@link TenantProvisionerCustomizer} bean in order.
     *
     * @return the provisioner (started by {@link ProvisioningLifecycle})
     * @throws ProvisioningConfigurationException when no runner or no tenant directory is configured, or the
     *     callback is half configured
     */
    @Bean
    @ConditionalOnMissingBean
    public TenantProvisioner tenantProvisioner(ProvisioningProperties properties, JobRepository repository,
            ObjectProvider<AutomationRunner> runner, ObjectProvider<TenantDirectory> tenantDirectory,
            Scheduler scheduler, ObjectProvider<JobListener> listeners, ObjectProvider<OperationPolicy> policy,
            ObjectProvider<Clock> clock, RequestVariables requestVariables, TemplateOverrides templateOverrides,
            CredentialPolicy credentialPolicy, ObjectProvider<TenantProvisionerCustomizer> customizers,
            ObjectProvider<RolloutRepository> rolloutRepository, ListableBeanFactory beans) {
        AutomationRunner automationRunner = runner.getIfAvailable();
        if (automationRunner == null) {
            throw new ProvisioningConfigurationException("no automation runner is configured.",
                    "Set provisioning.awx.base-url (with provisioning.awx.token and provisioning.awx.job-templates.*) "
                            + "to run AWX job templates, or provisioning.ansible.project-dir to run ansible-playbook "
                            + "locally, or provisioning.runner=scripted for a simulation, or define an "
                            + "AutomationRunner bean.");
        }
        TenantDirectory directory = tenantDirectory.getIfAvailable();
        if (directory == null) {
            throw new ProvisioningConfigurationException("no tenant directory is configured.",
                    "Define a TenantDirectory bean over your tenants, or set provisioning.tenants.table (and "
                            + "provisioning.tenants.id-column, .slug-column, .status-column) to use your tenants "
                            + "table through JdbcTenantDirectory.");
        }
        EngineProperties engine = properties.getEngine();
        TenantProvisioner.Builder builder = TenantProvisioner.builder()
                .repository(repository)
                .runner(automationRunner)
                .tenantDirectory(directory)
                .scheduler(scheduler)
                .clock(clock.getIfAvailable(Clock::systemUTC))
                .pollInterval(engine.getPollInterval())
                .sweepInterval(engine.getSweepInterval())
                .jobTimeout(engine.getJobTimeout())
                .pendingTimeout(engine.getPendingTimeout())
                .leaseDuration(engine.getLeaseDuration())
                .maxConcurrentRuns(engine.getMaxConcurrentRuns())
                .maxLaunchAttempts(engine.getMaxLaunchAttempts())
                .retryBackoff(new Backoff(engine.getRetryInitialDelay(), engine.getRetryMultiplier(),
                        engine.getRetryMaxDelay(), engine.getRetryJitter()))
                .cancelGrace(engine.getCancelGrace())
                .claimBatchSize(engine.getClaimBatchSize())
                .runnerCallTimeout(engine.getRunnerCallTimeout())
                .runnerCallThreads(engine.getRunnerCallThreads())
                .retention(properties.getRetention().toSettings())
                .callbackGrace(properties.getCallback().getGrace())
                .callbackSafetyPollEvery(engine.getCallbackSafetyPollEvery())
                .operationPolicy(policy.getIfAvailable(() -> OperationPolicy.DEFAULT))
                .requestVariables(requestVariables)
                .templateOverrides(templateOverrides)
                .credentialPolicy(credentialPolicy)
                .callback(callbackSettings(properties));
        if (StringUtils.hasText(engine.getNodeId())) {
            builder.nodeId(engine.getNodeId());
        }
        rolloutRepository.ifAvailable(builder::rolloutRepository);
        listeners.orderedStream().forEach(builder::listener);
        beans.getBeansOfType(EventConsumer.class, true, false).forEach(builder::eventConsumer);
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        return builder.build();
    }

    /** @return the bean that starts and stops the provisioner with the context */
    @Bean
    @ConditionalOnMissingBean
    public ProvisioningLifecycle provisioningLifecycle(TenantProvisioner provisioner) {
        return new ProvisioningLifecycle(provisioner);
    }

    static @Nullable CallbackSettings callbackSettings(ProvisioningProperties properties) {
        ProvisioningProperties.Callback callback = properties.getCallback();
        boolean hasUrl = StringUtils.hasText(callback.getBaseUrl());
        boolean hasSecret = StringUtils.hasText(callback.getSecret());
        if (!hasUrl && !hasSecret) {
            log.info("provisioning callbacks are off (set provisioning.callback.base-url and .secret to turn them on)");
            return null;
        }
        if (hasUrl != hasSecret) {
            throw new ProvisioningConfigurationException("the callback is half configured.",
                    "Set both provisioning.callback.base-url and provisioning.callback.secret, or neither.");
        }
        byte[] secret = Objects.requireNonNull(callback.getSecret(), "checked above").getBytes(StandardCharsets.UTF_8);
        if (secret.length < CallbackSettings.MIN_SECRET_BYTES) {
            throw new ProvisioningConfigurationException("provisioning.callback.secret is too short.",
                    "Use a random secret of at least " + CallbackSettings.MIN_SECRET_BYTES + " characters, e.g. "
                            + "the output of 'openssl rand -hex 32'.");
        }
        String base = Objects.requireNonNull(callback.getBaseUrl(), "checked above").replaceAll("/+$", "");
        String path = properties.getWeb().getBasePath().replaceAll("/+$", "");
        try {
            return new CallbackSettings(base + path + "/tenants/{tenant_id}/provisioning/jobs/{job_id}/callback",
                    secret);
        } catch (IllegalArgumentException e) {
            throw new ProvisioningConfigurationException("provisioning.callback.base-url is not usable: "
                    + e.getMessage(), "Set it to the platform's external https:// URL as the automation reaches it.");
        }
    }
}
