-- The example platform's own tenants (the provisioning library creates its job tables itself).
CREATE TABLE IF NOT EXISTS tenants (
    id     VARCHAR(64)  PRIMARY KEY,
    slug   VARCHAR(63)  NOT NULL UNIQUE,
    name   VARCHAR(200) NOT NULL,
    status VARCHAR(40)  NOT NULL
);

-- The credentials each tenant's customer-hosted jobs may use (the library's JdbcCredentialPolicy reads it:
-- provisioning.credentials.table). runner_credential is what the runner logs in with: an AWX machine credential id,
-- or a key name of the local runner (provisioning.ansible.customer-key-files.<name>). Never key material.
CREATE TABLE IF NOT EXISTS tenant_credentials (
    tenant_id         VARCHAR(64)   NOT NULL,
    credential_ref    VARCHAR(128)  NOT NULL,
    runner_credential VARCHAR(128)  NOT NULL,
    hosts             VARCHAR(1024),
    PRIMARY KEY (tenant_id, credential_ref)
);
