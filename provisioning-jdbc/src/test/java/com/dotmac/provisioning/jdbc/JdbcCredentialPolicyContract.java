package com.dotmac.provisioning.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dotmac.provisioning.jdbc.support.TestDatabase;
import com.dotmac.provisioning.spi.TenantCredential;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link JdbcCredentialPolicy} must do on every database: a tenant finds only its own registrations, hosts
 * bind a credential, malformed rows are absent, and configuration cannot inject SQL.
 */
abstract class JdbcCredentialPolicyContract {
    protected TestDatabase db;
    private JdbcCredentialPolicy policy;

    /** @return an empty database for one test */
    protected abstract TestDatabase open();

    @BeforeEach
    void createHostTable() {
        db = open();
        db.execute("CREATE TABLE host_credentials (tenant VARCHAR(64) NOT NULL, ref VARCHAR(128) NOT NULL, "
                        + "awx_credential VARCHAR(128), bound_hosts VARCHAR(1024), PRIMARY KEY (tenant, ref))",
                "INSERT INTO host_credentials VALUES ('acme', 'acme-ssh', '41', NULL)",
                "INSERT INTO host_credentials VALUES ('acme', 'acme-pw', '43', 'erp.acme.example, 203.0.113.7')",
                "INSERT INTO host_credentials VALUES ('beta', 'beta-ssh', '42', '')",
                "INSERT INTO host_credentials VALUES ('acme', 'same-name', NULL, NULL)",
                "INSERT INTO host_credentials VALUES ('acme', 'broken', '-----BEGIN KEY', NULL)");
        policy = JdbcCredentialPolicy.builder(db.dataSource()).table("host_credentials").tenantIdColumn("tenant")
                .referenceColumn("ref").runnerCredentialColumn("awx_credential").hostsColumn("bound_hosts").build();
    }

    @AfterEach
    void closeDatabase() {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void aTenantFindsItsOwnRegistrationsOnly() {
        assertThat(policy.find("acme", "acme-ssh")).contains(new TenantCredential("acme", "acme-ssh", "41", Set.of()));
        assertThat(policy.find("acme", "beta-ssh")).isEmpty();
        assertThat(policy.find("beta", "acme-ssh")).isEmpty();
        assertThat(policy.find("beta", "beta-ssh")).map(TenantCredential::runnerCredential).contains("42");
    }

    @Test
    void hostsBindACredentialAndAMissingRunnerCredentialIsTheReference() {
        TenantCredential bound = policy.find("acme", "acme-pw").orElseThrow();
        assertThat(bound.hosts()).containsExactlyInAnyOrder("erp.acme.example", "203.0.113.7");
        assertThat(bound.permitsHost("ERP.acme.example")).isTrue();
        assertThat(bound.permitsHost("collector.example.net")).isFalse();
        assertThat(policy.find("acme", "same-name")).map(TenantCredential::runnerCredential).contains("same-name");
    }

    @Test
    void aMalformedRowIsAbsentAndHostileLookupsFindNothing() {
        assertThat(policy.find("acme", "broken")).isEmpty();
        assertThat(policy.find("acme' OR '1'='1", "acme-ssh")).isEmpty();
        assertThat(policy.find("acme", "x' OR ref LIKE '%")).isEmpty();
    }

    @Test
    void theDefaultsNameTheDocumentedTable() {
        db.execute("CREATE TABLE tenant_credentials (tenant_id VARCHAR(64) NOT NULL, credential_ref VARCHAR(128) "
                + "NOT NULL, runner_credential VARCHAR(128) NOT NULL, PRIMARY KEY (tenant_id, credential_ref))",
                "INSERT INTO tenant_credentials VALUES ('acme', 'awx:17', '17')");
        assertThat(JdbcCredentialPolicy.builder(db.dataSource()).build().find("acme", "awx:17"))
                .map(TenantCredential::runnerCredential).contains("17");
    }

    @Test
    void configuredNamesMustBePlainIdentifiers() {
        assertThatThrownBy(() -> JdbcCredentialPolicy.builder(db.dataSource()).table("t; DROP TABLE x").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("table");
        assertThatThrownBy(() -> JdbcCredentialPolicy.builder(db.dataSource()).hostsColumn("a b").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hostsColumn");
    }
}
