package com.dotmac.provisioning.examples.platform;

import com.dotmac.provisioning.spi.TenantCredential;
import java.util.List;
import java.util.Set;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The platform's registrations of the credentials each tenant's customer-hosted jobs may use, in the
 * {@code tenant_credentials} table that the library's {@code JdbcCredentialPolicy} reads
 * ({@code provisioning.credentials.table}). Every tenant the example creates gets {@code <slug>-ssh}, which the
 * runner uses as {@code example.tenants.runner-credential} (an AWX machine credential id; ignored by the simulation).
 */
@Component
class TenantCredentials {
    private final JdbcClient jdbc;
    private final String defaultRunnerCredential;

    TenantCredentials(JdbcClient jdbc, @Value("${example.tenants.runner-credential:1}") String runnerCredential) {
        this.jdbc = jdbc;
        this.defaultRunnerCredential = runnerCredential;
    }

    /** Registers {@code <slug>-ssh} for a new tenant, unless it is registered already. */
    void registerDefault(String tenantId, String slug) {
        register(new TenantCredential(tenantId, slug + "-ssh", defaultRunnerCredential, Set.of()));
    }

    /**
     * Adds a registration, or replaces the one with the same reference.
     *
     * @param credential what the tenant may use (validated by its constructor: names, never key material)
     */
    void register(TenantCredential credential) {
        jdbc.sql("DELETE FROM tenant_credentials WHERE tenant_id = ? AND credential_ref = ?")
                .params(credential.tenantId(), credential.reference()).update();
        jdbc.sql("INSERT INTO tenant_credentials (tenant_id, credential_ref, runner_credential, hosts) "
                        + "VALUES (?, ?, ?, ?)")
                .params(credential.tenantId(), credential.reference(), credential.runnerCredential())
                .param(credential.hosts().isEmpty() ? null : String.join(",", credential.hosts().stream().sorted()
                        .toList()))
                .update();
    }

    /** @return the references a tenant may use */
    List<String> references(String tenantId) {
        return jdbc.sql("SELECT credential_ref FROM tenant_credentials WHERE tenant_id = ? ORDER BY credential_ref")
                .param(tenantId).query(String.class).list();
    }
}
