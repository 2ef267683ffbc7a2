-- The durable event outbox: every job or rollout write that changes its status inserts one row per change here, in
-- the same transaction, so a committed change has its event and a change that rolled back or lost its version check has
-- none. The delivery worker of any node claims a tenant's oldest row (lease_owner, lease_until, version: like job
-- claims), hands it to the host's consumers and deletes it once every consumer has it (delivered_to: the consumers
-- that have it; attempts and next_attempt_at: failed deliveries and the back-off). No foreign key to the jobs: an
-- event outlives the retention purge of its job until it is delivered. Times are DATETIME(6) holding UTC.
-- The table is created with its indexes in one statement (IF NOT EXISTS), so the file can be applied again safely.

-- order_key orders delivery: a job event's tenant id, or 'rollout:' and the rollout id of a rollout event.

CREATE TABLE IF NOT EXISTS tenant_provisioning_outbox (
    id              BIGINT       NOT NULL AUTO_INCREMENT,
    event_id        VARCHAR(64)  NOT NULL,
    order_key       VARCHAR(255) NOT NULL,
    tenant_id       VARCHAR(255),
    job_id          VARCHAR(64),
    rollout_id      VARCHAR(64),
    type            VARCHAR(64)  NOT NULL,
    at              DATETIME(6)  NOT NULL,
    data            TEXT         NOT NULL,
    attempts        INT          NOT NULL DEFAULT 0,
    delivered_to    TEXT,
    next_attempt_at DATETIME(6),
    lease_owner     VARCHAR(128),
    lease_until     DATETIME(6),
    version         BIGINT       NOT NULL DEFAULT 0,
    PRIMARY KEY (id),
    UNIQUE KEY ux_tpo_event_id (event_id),
    KEY ix_tpo_order (order_key, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
