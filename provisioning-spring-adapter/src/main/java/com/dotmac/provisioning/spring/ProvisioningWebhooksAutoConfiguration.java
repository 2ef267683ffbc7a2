package com.dotmac.provisioning.spring;

import com.dotmac.provisioning.jdbc.JdbcJobRepository;
import com.dotmac.provisioning.jdbc.JdbcWebhookDeliveryStore;
import com.dotmac.provisioning.memory.InMemoryWebhookDeliveryStore;
import com.dotmac.provisioning.spi.WebhookDeliveryStore;
import com.dotmac.provisioning.webhooks.sender.WebhookEventConsumer;
import com.dotmac.provisioning.webhooks.sender.WebhookSubscription;
import com.dotmac.provisioning.webhooks.sender.Webhooks;
import java.time.Clock;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Signed CloudEvents webhooks, when {@code provisioning-webhooks} is on the class path and at least one
 * {@code provisioning.webhooks.subscriptions.<name>.url} is set: the {@link Webhooks} (subscriptions validated at
 * start-up: a bad one fails the application with a message naming the property, never the secret), its event
 * consumer as the {@code EventConsumer} bean {@value Webhooks#CONSUMER_NAME} (so the repositories store events in the
 * outbox and the provisioner registers it, see {@link ProvisioningAutoConfiguration}), and the dispatcher started and
 * stopped with the context ({@link WebhooksLifecycle}).
 *
 * <p>The delivery queue: a {@link WebhookDeliveryStore} bean of the host's or of another auto-configuration, else
 * one in memory (undelivered webhooks are lost on a restart; logged as a warning).
 */
@AutoConfiguration(before = ProvisioningAutoConfiguration.class,
        after = ProvisioningJdbcAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "provisioning.enabled", matchIfMissing = true)
@ConditionalOnClass(Webhooks.class)
@Conditional(ProvisioningWebhooksAutoConfiguration.SubscriptionsConfigured.class)
@EnableConfigurationProperties(ProvisioningProperties.class)
public class ProvisioningWebhooksAutoConfiguration {
    private static final Logger log = LoggerFactory.getLogger(ProvisioningWebhooksAutoConfiguration.class);
    private static final String PREFIX = "provisioning.webhooks";

    /**
     * The durable queue in the host's {@code DataSource}, when the JDBC repository is in use (its table comes with
     * the provisioning schema, migration V7): undelivered webhooks and dead letters survive restarts and are shared
     * by every node. Declared before the in-memory fallback below, which then backs off.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "com.dotmac.provisioning.jdbc.JdbcWebhookDeliveryStore")
    @ConditionalOnBean(type = "com.dotmac.provisioning.jdbc.JdbcJobRepository")
    static class JdbcDeliveryStoreConfiguration {
        /**
         * @return the webhook delivery queue in the job repository's database, with its dialect and statement timeout
         */
        @Bean
        @ConditionalOnMissingBean(WebhookDeliveryStore.class)
        WebhookDeliveryStore provisioningJdbcWebhookDeliveryStore(DataSource dataSource, JdbcJobRepository jobs,
                ProvisioningProperties properties) {
            return new JdbcWebhookDeliveryStore(dataSource, jobs.dialect(),
                    properties.getJdbc().getStatementTimeout());
        }
    }

    /** @return deliveries queued in memory, when no other store is configured */
    @Bean
    @ConditionalOnMissingBean(WebhookDeliveryStore.class)
    public WebhookDeliveryStore provisioningWebhookDeliveryStore() {
        log.warn("Webhook deliveries are queued in memory: undelivered webhooks are lost on a restart. Add "
                + "provisioning-jdbc and a DataSource for a durable queue.");
        return new InMemoryWebhookDeliveryStore();
    }

    /**
     * @param properties {@code provisioning.webhooks.*}
     * @param store the delivery queue
     * @param clock the host's clock, if it defines one
     * @return the webhooks (closed with the context)
     * @throws ProvisioningConfigurationException naming the first bad property (never showing a secret)
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public Webhooks provisioningWebhooks(ProvisioningProperties provisioning, WebhookDeliveryStore store,
            ObjectProvider<Clock> clock) {
        WebhooksProperties properties = provisioning.getWebhooks();
        Webhooks.Builder builder = Webhooks.builder().store(store).clock(clock.getIfAvailable(Clock::systemUTC));
        for (Map.Entry<String, WebhooksProperties.Subscription> e : properties.getSubscriptions().entrySet()) {
            builder.subscription(subscription(e.getKey(), e.getValue()));
        }
        try {
            builder.maxAttempts(properties.getMaxAttempts()).timeout(properties.getTimeout())
                    .claimBatch(properties.getClaimBatch()).source(properties.getSource());
            Webhooks webhooks = builder.build();
            log.info("webhooks: {} (max {} attempts, timeout {}, claim batch {})", webhooks,
                    properties.getMaxAttempts(), properties.getTimeout(), properties.getClaimBatch());
            return webhooks;
        } catch (IllegalArgumentException e) {
            String field = fieldOf(e);
            throw new ProvisioningConfigurationException(PREFIX + "." + kebab(field) + " is not usable: "
                    + e.getMessage(), "Set " + PREFIX + ".max-attempts and " + PREFIX + ".claim-batch to at least 1 and "
                    + PREFIX + ".timeout to a positive duration.");
        }
    }

    /**
     * @param webhooks the webhooks
     * @return their event consumer, registered with the provisioner under this bean's name
     */
    @Bean(name = Webhooks.CONSUMER_NAME)
    public WebhookEventConsumer webhooksEventConsumer(Webhooks webhooks) {
        return webhooks.eventConsumer();
    }

    /**
     * @param webhooks the webhooks
     * @return the bean that starts and stops the dispatcher with the context
     */
    @Bean
    @ConditionalOnMissingBean
    public WebhooksLifecycle provisioningWebhooksLifecycle(Webhooks webhooks) {
        return new WebhooksLifecycle(webhooks);
    }

    static WebhookSubscription subscription(String name, WebhooksProperties.Subscription p) {
        String property = PREFIX + ".subscriptions." + name;
        try {
            WebhookSubscription.Builder b = WebhookSubscription.builder(name)
                    .eventTypes(p.getEventTypes()).tenants(p.getTenants())
                    .allowInsecureHttp(p.isAllowInsecureHttp());
            if (p.getUrl() != null) {
                b.url(p.getUrl());
            }
            if (p.getSecret() != null) {
                b.secret(p.getSecret());
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            String field = fieldOf(e);
            throw new ProvisioningConfigurationException(property + (field.equals("name") ? "" : "." + field)
                    + " is not usable: " + e.getMessage(), action(field));
        }
    }

    private static String action(String field) {
        return switch (field) {
            case "url" -> "Set it to the receiver's absolute https:// URL, without user-info or fragment (plain "
                    + "http only for localhost, or with allow-insecure-http: true inside a trusted network).";
            case "secret" -> "Set it to a random secret of at least " + WebhookSubscription.MIN_SECRET_BYTES
                    + " characters, e.g. the output of 'openssl rand -hex 32', shared with the receiver only.";
            case "event-types" -> "List exact types such as job.succeeded or rollout.paused, or prefixes such as "
                    + "job.*; leave it empty for every type.";
            case "tenants" -> "List tenant ids; leave it empty for every tenant.";
            default -> "Name subscriptions with lower case letters, digits, '_' or '-'.";
        };
    }

    /** The builders' messages start with the field's name and a colon. */
    private static String fieldOf(IllegalArgumentException e) {
        String message = String.valueOf(e.getMessage());
        int colon = message.indexOf(':');
        return colon > 0 && message.substring(0, colon).matches("[a-zA-Z-]+") ? message.substring(0, colon) : "name";
    }

    private static String kebab(String field) {
        return field.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    /** Matches when at least one subscription is configured under {@code provisioning.webhooks.subscriptions}. */
    static final class SubscriptionsConfigured extends SpringBootCondition {
        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            boolean any = Binder.get(context.getEnvironment())
                    .bind(PREFIX + ".subscriptions", Bindable.mapOf(String.class, Object.class))
                    .map(m -> !m.isEmpty()).orElse(false);
            return any ? ConditionOutcome.match("webhook subscriptions are configured")
                    : ConditionOutcome.noMatch("no " + PREFIX + ".subscriptions.* is set");
        }
    }
}
