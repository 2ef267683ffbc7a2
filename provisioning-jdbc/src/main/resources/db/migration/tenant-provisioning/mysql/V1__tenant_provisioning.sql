-- Tenant provisioning jobs and their timelines (MySQL 8.0.16+ and MariaDB 10.6+, InnoDB).
-- Shipped by provisioning-jdbc under classpath:db/migration/tenant-provisioning/mysql. Apply it with Flyway (give it
-- its own history table) or let JdbcSchemaInitializer apply it when the tables are missing. Each table is created
-- with its indexes in one statement (IF NOT EXISTS), so the file can be applied again safely.
-- Times are DATETIME(6) holding UTC (the library converts; the session time zone is never used); JSON is JSON.
-- Text compares byte-wise (utf8mb4_bin): tenant ids and idempotency keys are case-sensitive. utf8mb4_bin pads
-- trailing spaces, so 'k' and 'k ' are the same key here.
-- MySQL has no partial indexes: active_tenant_id is the tenant id only while the job is queued or in progress, and
-- its unique key enforces one active job per tenant (NULLs never clash).

CREATE TABLE IF NOT EXISTS tenant_provisioning_jobs (
    id                    VARCHAR(64)  NOT NULL,
    tenant_id             VARCHAR(255) NOT NULL,
    tenant_slug           VARCHAR(255) NOT NULL,
    operation             VARCHAR(32)  NOT NULL,
    deployment_mode       VARCHAR(32)  NOT NULL,
    status                VARCHAR(32)  NOT NULL,
    awx_template_id       BIGINT,
    awx_job_id            VARCHAR(255),
    requested_by          VARCHAR(255) NOT NULL,
    created_at            DATETIME(6)  NOT NULL,
    updated_at            DATETIME(6)  NOT NULL,
    started_at            DATETIME(6),
    finished_at           DATETIME(6),
    last_acknowledged_at  DATETIME(6),
    retry_count           INT          NOT NULL DEFAULT 0,
    error_code            VARCHAR(128),
    error_message         TEXT,
    extra_vars            JSON         NOT NULL,
    connection_profile    JSON,
    artifacts             JSON         NOT NULL,
    release_version       VARCHAR(128),
    idempotency_key       VARCHAR(255),
    retry_of              VARCHAR(64),
    deadline              DATETIME(6),
    version               BIGINT       NOT NULL,
    lease_owner           VARCHAR(128),
    lease_until           DATETIME(6),
    next_check_at         DATETIME(6),
    launch_pending_since  DATETIME(6),
    stop_reason           VARCHAR(16),
    stop_requested_by     VARCHAR(255),
    stop_message          TEXT,
    stop_requested_at     DATETIME(6),
    stop_sent_at          DATETIME(6),
    tenant_status_applied BOOLEAN      NOT NULL DEFAULT FALSE,
    active_tenant_id      VARCHAR(255) GENERATED ALWAYS AS
        (CASE WHEN status IN ('queued', 'in_progress') THEN tenant_id END) STORED,
    PRIMARY KEY (id),
    UNIQUE KEY ux_tpj_active_tenant (active_tenant_id),
    UNIQUE KEY ux_tpj_tenant_idempotency_key (tenant_id, idempotency_key),
    KEY ix_tpj_next_check_at (next_check_at),
    KEY ix_tpj_tenant_created (tenant_id, created_at),
    KEY ix_tpj_awx_job_id (awx_job_id),
    KEY ix_tpj_status (status),
    CONSTRAINT ck_tpj_operation CHECK (operation IN ('provision', 'upgrade', 'decommission')),
    CONSTRAINT ck_tpj_mode CHECK (deployment_mode IN ('dotmac_hosted', 'customer_hosted')),
    CONSTRAINT ck_tpj_status
        CHECK (status IN ('queued', 'in_progress', 'succeeded', 'failed', 'cancelled', 'timed_out')),
    CONSTRAINT ck_tpj_stop_reason CHECK (stop_reason IN ('cancel', 'timeout'))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS tenant_provisioning_job_events (
    id          BIGINT       NOT NULL AUTO_INCREMENT,
    job_id      VARCHAR(64)  NOT NULL,
    at          DATETIME(6)  NOT NULL,
    type        VARCHAR(64)  NOT NULL,
    from_status VARCHAR(32),
    to_status   VARCHAR(32),
    message     TEXT         NOT NULL,
    data        JSON         NOT NULL,
    PRIMARY KEY (id),
    KEY ix_tpje_job (job_id, id),
    CONSTRAINT fk_tpje_job FOREIGN KEY (job_id) REFERENCES tenant_provisioning_jobs (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
