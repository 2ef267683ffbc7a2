package com.dotmac.provisioning.spring;

import com.dotmac.provisioning.jdbc.JdbcCredentialPolicy;
import com.dotmac.provisioning.spi.TenantCredential;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Which credentials each tenant's customer-hosted jobs may use ({@code provisioning.credentials.*}): registrations
 * by property, or a table of the host's ({@code table}, with provisioning-jdbc and a {@code DataSource}). Without
 * either, no credential is usable and customer-hosted requests are refused. Define a
 * {@link com.dotmac.provisioning.spi.CredentialPolicy} bean to decide yourself.
 *
 * <pre>
 * provisioning.credentials.tenants.acme.acme-ssh.runner-credential=41       # AWX machine credential 41
 * provisioning.credentials.tenants.acme.acme-pw.runner-credential=43
 * provisioning.credentials.tenants.acme.acme-pw.hosts=erp.acme.example
 * provisioning.credentials.tenants.acme.[acme.prod].runner-credential=17    # brackets keep '.' in a key
 * </pre>
 */
@ConfigurationProperties(prefix = "provisioning.credentials")
public class ProvisioningCredentialsProperties {
    /** Registrations: tenant id, then the reference requests name, then what the runner uses. */
    private Map<String, Map<String, Registration>> tenants = new LinkedHashMap<>();

    /** A table of the host's holding the registrations (enables JdbcCredentialPolicy). */
    private @Nullable String table;

    /** Its tenant id column. */
    private String tenantIdColumn = JdbcCredentialPolicy.DEFAULT_TENANT_ID_COLUMN;

    /** Its column of the reference requests name. */
    private String referenceColumn = JdbcCredentialPolicy.DEFAULT_REFERENCE_COLUMN;

    /** Its column of what the runner uses (AWX credential id, local key name). */
    private String runnerCredentialColumn = JdbcCredentialPolicy.DEFAULT_RUNNER_CREDENTIAL_COLUMN;

    /** Its optional column of comma-separated hosts a credential is bound to. */
    private @Nullable String hostsColumn;

    /**
     * @return every registration
     * @throws IllegalArgumentException naming a registration that is not valid
     */
    List<TenantCredential> registrations() {
        List<TenantCredential> all = new ArrayList<>();
        tenants.forEach((tenant, refs) -> refs.forEach((reference, r) -> all.add(new TenantCredential(tenant,
                reference, r.getRunnerCredential() == null ? reference : r.getRunnerCredential(),
                Set.copyOf(r.getHosts())))));
        return all;
    }

    public Map<String, Map<String, Registration>> getTenants() {
        return tenants;
    }

    public void setTenants(Map<String, Map<String, Registration>> tenants) {
        this.tenants = tenants;
    }

    public @Nullable String getTable() {
        return table;
    }

    public void setTable(@Nullable String table) {
        this.table = table;
    }

    public String getTenantIdColumn() {
        return tenantIdColumn;
    }

    public void setTenantIdColumn(String tenantIdColumn) {
        this.tenantIdColumn = tenantIdColumn;
    }

    public String getReferenceColumn() {
        return referenceColumn;
    }

    public void setReferenceColumn(String referenceColumn) {
        this.referenceColumn = referenceColumn;
    }

    public String getRunnerCredentialColumn() {
        return runnerCredentialColumn;
    }

    public void setRunnerCredentialColumn(String runnerCredentialColumn) {
        this.runnerCredentialColumn = runnerCredentialColumn;
    }

    public @Nullable String getHostsColumn() {
        return hostsColumn;
    }

    public void setHostsColumn(@Nullable String hostsColumn) {
        this.hostsColumn = hostsColumn;
    }

    /** One credential a tenant may use. */
    public static class Registration {
        /** What the runner uses (AWX credential id, local key name); the reference itself when unset. */
        private @Nullable String runnerCredential;

        /** The only hosts it may be used against; empty for any. */
        private List<String> hosts = new ArrayList<>();

        public @Nullable String getRunnerCredential() {
            return runnerCredential;
        }

        public void setRunnerCredential(@Nullable String runnerCredential) {
            this.runnerCredential = runnerCredential;
        }

        public List<String> getHosts() {
            return hosts;
        }

        public void setHosts(List<String> hosts) {
            this.hosts = hosts;
        }
    }
}
