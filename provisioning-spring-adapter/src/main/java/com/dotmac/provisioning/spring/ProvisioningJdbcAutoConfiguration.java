package com.dotmac.provisioning.spring;

import com.dotmac.provisioning.jdbc.JdbcDialect;
import com.dotmac.provisioning.jdbc.JdbcCredentialPolicy;
import com.dotmac.provisioning.jdbc.JdbcJobRepository;
import com.dotmac.provisioning.jdbc.JdbcRolloutRepository;
import com.dotmac.provisioning.jdbc.JdbcSchemaInitializer;
import com.dotmac.provisioning.jdbc.JdbcTenantDirectory;
import com.dotmac.provisioning.spi.CredentialPolicy;
import com.dotmac.provisioning.spi.JobRepository;
import com.dotmac.provisioning.spi.RolloutRepository;
import com.dotmac.provisioning.spi.TenantDirectory;
import java.util.Locale;
import java.util.Objects;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Durable jobs in the host's {@code DataSource}: a {@link JdbcJobRepository}, its tables created according to
 * {@code provisioning.jdbc.initialize-schema}, a {@link JdbcTenantDirectory} over the host's tenants table when
 * {@code provisioning.tenants.table} is set, and a {@link JdbcCredentialPolicy} over the host's credentials table when
 * {@code provisioning.credentials.table} is set. The repository's and the tenants table's statements time out after
 * {@code provisioning.jdbc.statement-timeout}.
 */
@AutoConfiguration(before = ProvisioningAutoConfiguration.class,
        afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnBooleanProperty(name = "provisioning.enabled", matchIfMissing = true)
@ConditionalOnClass({JdbcJobRepository.class, DataSource.class})
@ConditionalOnBean(DataSource.class)
@EnableConfigurationProperties({ProvisioningProperties.class, ProvisioningCredentialsProperties.class})
public class ProvisioningJdbcAutoConfiguration {
    private static final Logger log = LoggerFactory.getLogger(ProvisioningJdbcAutoConfiguration.class);

    /**
     * @return the repository, after creating its tables when {@code initialize-schema} says so; with the outbox on
     *     when an {@code EventConsumer} bean (the webhooks' included) is defined
     */
    @Bean
    @ConditionalOnMissingBean(JobRepository.class)
    public JdbcJobRepository provisioningJdbcJobRepository(DataSource dataSource, ProvisioningProperties properties,
            ListableBeanFactory beans) {
        JdbcDialect dialect = JdbcDialect.detect(dataSource);
        ProvisioningProperties.InitializeSchema mode = properties.getJdbc().getInitializeSchema();
        boolean embedded = dialect == JdbcDialect.H2;
        if (mode == ProvisioningProperties.InitializeSchema.ALWAYS
                || (mode == ProvisioningProperties.InitializeSchema.EMBEDDED && embedded)) {
            boolean created = new JdbcSchemaInitializer(dataSource, dialect).initialize();
            log.info("provisioning tables {} ({})", created ? "created" : "already present", dialect);
        } else {
            log.info("provisioning tables are not created by the library (provisioning.jdbc.initialize-schema={}); "
                    + "apply the migrations under classpath:{}", mode.name().toLowerCase(Locale.ROOT),
                    dialect.migrationLocation());
        }
        JdbcJobRepository repository = new JdbcJobRepository(dataSource, dialect,
                properties.getJdbc().getStatementTimeout());
        return ProvisioningAutoConfiguration.eventsWanted(beans) ? repository.withOutbox() : repository;
    }

    /**
     * @param dataSource the database of the jobs
     * @param jobs the job repository, made first: it creates the tables, the rollouts' among them
     * @param properties {@code provisioning.jdbc.statement-timeout}
     * @return rollouts in the same database as the jobs, with the outbox on when the jobs' is
     */
    @Bean
    @ConditionalOnMissingBean(RolloutRepository.class)
    @ConditionalOnBean(JdbcJobRepository.class)
    public JdbcRolloutRepository provisioningJdbcRolloutRepository(DataSource dataSource, JdbcJobRepository jobs,
            ProvisioningProperties properties) {
        JdbcRolloutRepository rollouts = new JdbcRolloutRepository(dataSource, jobs.dialect(),
                properties.getJdbc().getStatementTimeout());
        return jobs.recordsEvents() ? rollouts.withOutbox() : rollouts;
    }

    /**
     * @return the host's credentials table as the credential policy ({@code provisioning.credentials.table})
     * @throws ProvisioningConfigurationException when a name is not an identifier, or registrations are also given
     *     by property
     */
    @Bean
    @ConditionalOnMissingBean(CredentialPolicy.class)
    @ConditionalOnProperty(name = "provisioning.credentials.table")
    public JdbcCredentialPolicy provisioningJdbcCredentialPolicy(DataSource dataSource,
            ProvisioningCredentialsProperties credentials) {
        if (!credentials.getTenants().isEmpty()) {
            throw new ProvisioningConfigurationException("both provisioning.credentials.table and "
                    + "provisioning.credentials.tenants.* are set.", "Register tenant credentials in one place: the "
                    + "table, or the properties.");
        }
        try {
            return JdbcCredentialPolicy.builder(dataSource)
                    .table(java.util.Objects.requireNonNull(credentials.getTable()))
                    .tenantIdColumn(credentials.getTenantIdColumn())
                    .referenceColumn(credentials.getReferenceColumn())
                    .runnerCredentialColumn(credentials.getRunnerCredentialColumn())
                    .hostsColumn(credentials.getHostsColumn())
                    .build();
        } catch (IllegalArgumentException e) {
            throw new ProvisioningConfigurationException("provisioning.credentials.* is not usable: "
                    + e.getMessage(), "Name the table and its columns with plain SQL identifiers (letters, digits, "
                    + "'_'; optionally schema.table).");
        }
    }

    /** @return the host's tenants table as the tenant directory */
    @Bean
    @ConditionalOnMissingBean(TenantDirectory.class)
    @ConditionalOnProperty(name = "provisioning.tenants.table")
    public JdbcTenantDirectory provisioningJdbcTenantDirectory(DataSource dataSource,
            ProvisioningProperties properties) {
        ProvisioningProperties.Tenants tenants = properties.getTenants();
        try {
            return JdbcTenantDirectory.builder(dataSource)
                    .table(Objects.requireNonNull(tenants.getTable(), "set: the bean is conditional on it"))
                    .idColumn(tenants.getIdColumn())
                    .slugColumn(tenants.getSlugColumn())
                    .statusColumn(tenants.getStatusColumn())
                    .statementTimeout(properties.getJdbc().getStatementTimeout())
                    .build();
        } catch (IllegalArgumentException e) {
            throw new ProvisioningConfigurationException("provisioning.tenants.* is not usable: " + e.getMessage(),
                    "Name the table and its columns with plain SQL identifiers (letters, digits, '_'; optionally "
                            + "schema.table).");
        }
    }
}
