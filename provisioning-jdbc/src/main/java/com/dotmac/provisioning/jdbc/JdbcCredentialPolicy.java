package com.dotmac.provisioning.jdbc;

import com.dotmac.provisioning.jdbc.internal.Jdbc;
import com.dotmac.provisioning.jdbc.internal.SqlIdentifiers;
import com.dotmac.provisioning.spi.CredentialPolicy;
import com.dotmac.provisioning.spi.TenantCredential;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link CredentialPolicy} over a table of the host's: one row per credential a tenant may use. Table and column
 * names are configurable and validated (plain identifiers), so configuration cannot inject SQL; tenant ids and
 * references are statement parameters.
 *
 * <pre>{@code
 * CREATE TABLE tenant_credentials (
 *     tenant_id         VARCHAR(64)  NOT NULL,
 *     credential_ref    VARCHAR(128) NOT NULL,   -- what requests name (connection_profile.credential_ref)
 *     runner_credential VARCHAR(128) NOT NULL,   -- AWX machine credential id, or the local runner's key name
 *     hosts             VARCHAR(1024),           -- optional: comma-separated hosts it may be used against
 *     PRIMARY KEY (tenant_id, credential_ref));
 *
 * CredentialPolicy credentials = JdbcCredentialPolicy.builder(dataSource).build();   // the defaults above
 * }</pre>
 *
 * <p>A row whose values are not valid credential names or host names is treated as absent (logged at WARN): the
 * request is refused rather than run with a malformed credential. Thread-safe; borrows a connection per call.
 */
public final class JdbcCredentialPolicy implements CredentialPolicy {
    /** Default table: {@code tenant_credentials}. */
    public static final String DEFAULT_TABLE = "tenant_credentials";
    /** Default tenant column: {@code tenant_id}. */
    public static final String DEFAULT_TENANT_ID_COLUMN = "tenant_id";
    /** Default reference column: {@code credential_ref}. */
    public static final String DEFAULT_REFERENCE_COLUMN = "credential_ref";
    /** Default runner-credential column: {@code runner_credential}. */
    public static final String DEFAULT_RUNNER_CREDENTIAL_COLUMN = "runner_credential";

    private static final Logger log = LoggerFactory.getLogger(JdbcCredentialPolicy.class);

    private final Jdbc jdbc;
    private final String table;
    private final String selectSql;
    private final boolean hasHosts;

    private JdbcCredentialPolicy(Builder b) {
        this.jdbc = new Jdbc(b.dataSource);
        this.table = SqlIdentifiers.table("table", b.table);
        String tenant = SqlIdentifiers.column("tenantIdColumn", b.tenantIdColumn);
        String reference = SqlIdentifiers.column("referenceColumn", b.referenceColumn);
        String runner = SqlIdentifiers.column("runnerCredentialColumn", b.runnerCredentialColumn);
        this.hasHosts = b.hostsColumn != null;
        String hosts = b.hostsColumn != null ? ", " + SqlIdentifiers.column("hostsColumn", b.hostsColumn) : "";
        this.selectSql = "SELECT " + runner + hosts + " FROM " + table + " WHERE " + tenant + " = ? AND " + reference
                + " = ?";
    }

    /**
     * @param dataSource the host's database
     * @return a builder with the defaults ({@code tenant_credentials}: {@code tenant_id}, {@code credential_ref},
     *     {@code runner_credential}, no hosts column)
     */
    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    /**
     * {@inheritDoc}
     *
     * @throws DatabaseAccessException when the database fails
     */
    @Override
    public Optional<TenantCredential> find(String tenantId, String credentialRef) {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(credentialRef, "credentialRef");
        return jdbc.call("read a tenant credential from " + table, c -> {
            try (PreparedStatement ps = c.prepareStatement(selectSql)) {
                ps.setString(1, tenantId);
                ps.setString(2, credentialRef);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return credential(tenantId, credentialRef, rs.getString(1), hasHosts ? rs.getString(2) : null);
                }
            }
        });
    }

    private Optional<TenantCredential> credential(String tenantId, String reference, @Nullable String runner,
            @Nullable String hosts) {
        Set<String> hostSet = hosts == null ? Set.of() : Arrays.stream(hosts.split("[,\\s]+"))
                .filter(h -> !h.isEmpty()).collect(Collectors.toSet());
        try {
            return Optional.of(new TenantCredential(tenantId, reference, runner == null ? reference : runner,
                    hostSet));
        } catch (IllegalArgumentException e) {
            log.warn("the credential row of tenant {} in {} is not usable ({}); it is treated as absent", tenantId,
                    table, e.getMessage());
            return Optional.empty();
        }
    }

    /** @return the table; never connection details */
    @Override
    public String toString() {
        return "JdbcCredentialPolicy[" + table + "]";
    }

    /** A mutable builder; not thread-safe. */
    public static final class Builder {
        private final DataSource dataSource;
        private String table = DEFAULT_TABLE;
        private String tenantIdColumn = DEFAULT_TENANT_ID_COLUMN;
        private String referenceColumn = DEFAULT_REFERENCE_COLUMN;
        private String runnerCredentialColumn = DEFAULT_RUNNER_CREDENTIAL_COLUMN;
        private @Nullable String hostsColumn;

        private Builder(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        }

        /** @param v the table, optionally {@code schema.table} (default {@code tenant_credentials}) @return this */
        public Builder table(String v) {
            this.table = v;
            return this;
        }

        /** @param v the tenant id column (default {@code tenant_id}) @return this */
        public Builder tenantIdColumn(String v) {
            this.tenantIdColumn = v;
            return this;
        }

        /** @param v the column of the reference requests name (default {@code credential_ref}) @return this */
        public Builder referenceColumn(String v) {
            this.referenceColumn = v;
            return this;
        }

        /** @param v the column of what the runner uses (default {@code runner_credential}) @return this */
        public Builder runnerCredentialColumn(String v) {
            this.runnerCredentialColumn = v;
            return this;
        }

        /** @param v a column of comma-separated hosts the credential is bound to, or null for none @return this */
        public Builder hostsColumn(@Nullable String v) {
            this.hostsColumn = v;
            return this;
        }

        /**
         * @return the policy
         * @throws IllegalArgumentException naming the setting whose table or column name is not a plain identifier
         */
        public JdbcCredentialPolicy build() {
            return new JdbcCredentialPolicy(this);
        }
    }
}
