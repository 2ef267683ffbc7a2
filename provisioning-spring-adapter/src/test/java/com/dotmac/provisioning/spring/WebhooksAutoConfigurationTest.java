package com.dotmac.provisioning.spring;

import static org.assertj.core.api.Assertions.assertThat;

import static org.awaitility.Awaitility.await;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.ProvisioningRequest;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.events.ProvisioningEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import com.dotmac.provisioning.events.EventConsumer;
import com.dotmac.provisioning.jdbc.JdbcJobRepository;
import com.dotmac.provisioning.jdbc.JdbcWebhookDeliveryStore;
import com.dotmac.provisioning.jdbc.JdbcRolloutRepository;
import com.dotmac.provisioning.memory.InMemoryJobRepository;
import com.dotmac.provisioning.memory.InMemoryTenantDirectory;
import com.dotmac.provisioning.memory.InMemoryWebhookDeliveryStore;
import com.dotmac.provisioning.spi.TenantDirectory;
import com.dotmac.provisioning.spi.WebhookDeliveryStore;
import com.dotmac.provisioning.webhooks.sender.Webhooks;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The webhooks' auto-configuration: on only with a subscription, validated at start-up (the message names the
 * property, never the secret), the outbox turned on for webhooks or any host {@link EventConsumer} bean, and the
 * in-memory queue the fallback.
 */
class WebhooksAutoConfigurationTest {
    private static final String SECRET = "whsec-0123456789abcdef0123456789abcdef";
    private static final AutoConfigurations ALL = AutoConfigurations.of(ProvisioningJdbcAutoConfiguration.class,
            ProvisioningWebhooksAutoConfiguration.class, ProvisioningAutoConfiguration.class);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(ALL)
            .withBean(TenantDirectory.class, InMemoryTenantDirectory::new)
            .withPropertyValues("provisioning.runner=scripted");

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
    void withoutSubscriptionsThereAreNoWebhooksAndNoOutbox() {
        runner.run(ctx -> {
            assertThat(ctx).hasNotFailed().doesNotHaveBean(Webhooks.class);
            assertThat(ctx.getBean(InMemoryJobRepository.class).recordsEvents()).isFalse();
        });
    }

    @Test
    void aSubscriptionTurnsTheOutboxOnAndRegistersTheConsumerOverTheInMemoryQueue() {
        runner.withPropertyValues("provisioning.webhooks.subscriptions.billing.url=https://billing.example.com/in",
                "provisioning.webhooks.subscriptions.billing.secret=" + SECRET,
                "provisioning.webhooks.subscriptions.billing.event-types=job.succeeded,job.failed",
                "provisioning.webhooks.max-attempts=3").run(ctx -> {
                    assertThat(ctx).hasNotFailed().hasSingleBean(Webhooks.class)
                            .hasSingleBean(WebhooksLifecycle.class);
                    assertThat(ctx.getBean(WebhookDeliveryStore.class))
                            .isInstanceOf(InMemoryWebhookDeliveryStore.class);
                    assertThat(ctx.getBean(InMemoryJobRepository.class).recordsEvents()).isTrue();
                    assertThat(ctx.getBean(Webhooks.class).subscriptions()).singleElement()
                            .satisfies(s -> assertThat(s.eventTypes()).containsExactlyInAnyOrder("job.succeeded",
                                    "job.failed"));
                    assertThat(ctx.getBean(TenantProvisioner.class).settings().toString()).doesNotContain(SECRET);
                    assertThat(ctx.getBean(Webhooks.class).dispatcher().isRunning()).isTrue();
                    assertThat(ctx.getBean(ProvisioningProperties.class).getWebhooks().toString()).doesNotContain(SECRET);
                });
    }

    @Test
    void aBadUrlFailsTheStartUpNamingThePropertyNeverTheSecret() {
        runner.withPropertyValues("provisioning.webhooks.subscriptions.billing.url=http://billing.example.com/in",
                "provisioning.webhooks.subscriptions.billing.secret=" + SECRET).run(ctx -> {
                    assertThat(ctx).hasFailed();
                    String failure = failureOf(ctx.getStartupFailure());
                    assertThat(failure).contains("provisioning.webhooks.subscriptions.billing.url is not usable")
                            .contains("must use https").doesNotContain(SECRET);
                });
        runner.withPropertyValues("provisioning.webhooks.subscriptions.billing.url=https://billing.example.com/in",
                "provisioning.webhooks.subscriptions.billing.secret=too-short-a-secret").run(ctx -> {
                    String failure = failureOf(ctx.getStartupFailure());
                    assertThat(failure).contains("provisioning.webhooks.subscriptions.billing.secret is not usable")
                            .contains("openssl rand").doesNotContain("too-short-a-secret");
                });
    }

    @Test
    void theClaimBatchSizesTheDispatchersLeaseAndBelowOneFailsTheStartUpNamingTheProperty() {
        runner.withPropertyValues("provisioning.webhooks.subscriptions.billing.url=https://billing.example.com/in",
                "provisioning.webhooks.subscriptions.billing.secret=" + SECRET, "provisioning.webhooks.timeout=2s",
                "provisioning.webhooks.claim-batch=8").run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    assertThat(ctx.getBean(Webhooks.class).dispatcher().lease()).as("2 s x (1 + 8 / 4) + 30 s")
                            .isEqualTo(java.time.Duration.ofSeconds(36));
                });
        runner.withPropertyValues("provisioning.webhooks.subscriptions.billing.url=https://billing.example.com/in",
                "provisioning.webhooks.subscriptions.billing.secret=" + SECRET,
                "provisioning.webhooks.claim-batch=0").run(ctx -> {
                    assertThat(ctx).hasFailed();
                    assertThat(failureOf(ctx.getStartupFailure()))
                            .contains("provisioning.webhooks.claim-batch is not usable").doesNotContain(SECRET);
                });
    }

    @Test
    void aHostEventConsumerBeanIsRegisteredByItsNameAndTurnsTheJdbcOutboxOn() {
        DataSource h2 = new DriverManagerDataSource("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                "sa", "");
        runner.withBean(DataSource.class, () -> h2).withBean("kafka", EventConsumer.class, () -> e -> { })
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed().doesNotHaveBean(Webhooks.class);
                    assertThat(ctx.getBean(JdbcJobRepository.class).writesOutbox()).isTrue();
                    assertThat(ctx.getBean(JdbcRolloutRepository.class).writesOutbox()).isTrue();
                });
    }

    @Test
    void withTheJdbcRepositoryTheDeliveryQueueIsInTheSameDatabase() {
        DataSource h2 = new DriverManagerDataSource("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                "sa", "");
        runner.withBean(DataSource.class, () -> h2)
                .withPropertyValues("provisioning.webhooks.subscriptions.billing.url=https://billing.example.com/in",
                        "provisioning.webhooks.subscriptions.billing.secret=" + SECRET)
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    assertThat(ctx.getBean(WebhookDeliveryStore.class)).isInstanceOf(JdbcWebhookDeliveryStore.class);
                    assertThat(ctx.getBean(JdbcJobRepository.class).writesOutbox()).isTrue();
                    assertThat(ctx.getBean(WebhookDeliveryStore.class).countPending()).isZero();
                });
    }

    @Test
    void aHostEventConsumerBeanReceivesTheEvents() {
        List<ProvisioningEvent> heard = new CopyOnWriteArrayList<>();
        new ApplicationContextRunner().withConfiguration(ALL).withPropertyValues("provisioning.runner=scripted")
                .withBean(TenantDirectory.class, () -> new InMemoryTenantDirectory().put("acme", "acme", "pending"))
                .withBean("audit", EventConsumer.class, () -> heard::add)
                .run(ctx -> {
                    assertThat(ctx.getBean(InMemoryJobRepository.class).recordsEvents()).isTrue();
                    ctx.getBean(TenantProvisioner.class).request(ProvisioningRequest.builder("acme")
                            .deploymentMode(DeploymentMode.DOTMAC_HOSTED).requestedBy("alice").build());
                    await().atMost(Duration.ofSeconds(20)).until(() -> !heard.isEmpty());
                    assertThat(heard.get(0).type()).isEqualTo("job.queued");
                });
    }
}
