-- Fleet rollouts (MySQL 8.0.16+ and MariaDB 10.6+, InnoDB): a rollout, its members (one row per tenant, in start
-- order) and its timeline. JdbcRolloutRepository reads and writes them. Apply it with Flyway after V3, or let
-- JdbcSchemaInitializer apply it. Each table is created with its indexes in one statement (IF NOT EXISTS), so the
-- file can be applied again safely.
-- Times are DATETIME(6) holding UTC (the library converts; the session time zone is never used); JSON is JSON.
-- Text compares byte-wise (utf8mb4_bin). Lists of wave sizes and percentages are text: the numbers separated by
-- commas (e.g. 2,50,48), empty for none; MEDIUMTEXT where a rollout of 100,000 tenants may list a wave per tenant.

CREATE TABLE IF NOT EXISTS tenant_provisioning_rollouts (
    id                     VARCHAR(64)  NOT NULL,
    operation              VARCHAR(32)  NOT NULL,
    deployment_mode        VARCHAR(32),
    release_version        VARCHAR(128),
    extra_vars             JSON         NOT NULL,
    template_id            BIGINT,
    requested_by           VARCHAR(255) NOT NULL,
    canary                 INT          NOT NULL,
    plan_wave_sizes        MEDIUMTEXT   NOT NULL,
    plan_wave_percents     TEXT         NOT NULL,
    max_parallel           INT          NOT NULL,
    max_failures           INT          NOT NULL,
    max_failed_percent     INT          NOT NULL,
    pause_between_waves_ms BIGINT       NOT NULL,
    selection              VARCHAR(255) NOT NULL,
    status                 VARCHAR(32)  NOT NULL,
    status_reason          TEXT,
    wave_sizes             MEDIUMTEXT   NOT NULL,
    current_wave           INT          NOT NULL,
    created_at             DATETIME(6)  NOT NULL,
    updated_at             DATETIME(6)  NOT NULL,
    finished_at            DATETIME(6),
    version                BIGINT       NOT NULL,
    lease_owner            VARCHAR(128),
    lease_until            DATETIME(6),
    next_check_at          DATETIME(6),
    PRIMARY KEY (id),
    KEY ix_tpr_next_check_at (next_check_at),
    KEY ix_tpr_created (created_at),
    CONSTRAINT ck_tpr_operation CHECK (operation IN ('provision', 'upgrade', 'decommission')),
    CONSTRAINT ck_tpr_mode CHECK (deployment_mode IN ('dotmac_hosted', 'customer_hosted')),
    CONSTRAINT ck_tpr_status CHECK (status IN ('running', 'paused', 'aborting', 'completed', 'aborted'))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS tenant_provisioning_rollout_members (
    rollout_id    VARCHAR(64)  NOT NULL,
    position      INT          NOT NULL,
    tenant_id     VARCHAR(255) NOT NULL,
    wave          INT          NOT NULL,
    attempt       INT          NOT NULL DEFAULT 0,
    status        VARCHAR(32)  NOT NULL,
    job_id        VARCHAR(64),
    error_code    VARCHAR(128),
    error_message TEXT,
    updated_at    DATETIME(6)  NOT NULL,
    PRIMARY KEY (rollout_id, position),
    KEY ix_tprm_status (rollout_id, status, position),
    CONSTRAINT ck_tprm_status CHECK (status IN ('waiting', 'started', 'succeeded', 'failed', 'skipped')),
    CONSTRAINT fk_tprm_rollout FOREIGN KEY (rollout_id) REFERENCES tenant_provisioning_rollouts (id)
        ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS tenant_provisioning_rollout_events (
    id          BIGINT       NOT NULL AUTO_INCREMENT,
    rollout_id  VARCHAR(64)  NOT NULL,
    at          DATETIME(6)  NOT NULL,
    type        VARCHAR(64)  NOT NULL,
    from_status VARCHAR(32),
    to_status   VARCHAR(32),
    message     TEXT         NOT NULL,
    data        JSON         NOT NULL,
    PRIMARY KEY (id),
    KEY ix_tpre_rollout (rollout_id, id),
    CONSTRAINT fk_tpre_rollout FOREIGN KEY (rollout_id) REFERENCES tenant_provisioning_rollouts (id)
        ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
