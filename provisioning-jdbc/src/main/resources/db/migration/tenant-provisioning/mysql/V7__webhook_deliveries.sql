-- The durable queue of webhook deliveries (WebhookDeliveryStore): one row per (subscription, event), enqueued by the
-- webhook sender's event consumer and posted by a dispatcher on any node. Queues are (subscription, order_key); only
-- a queue's head (its oldest row that is not dead) is claimed (lease_owner, lease_until, version: like job claims),
-- so a slow receiver holds back only its own queues. A failed attempt counts in attempts and waits for
-- next_attempt_at; after the last one the row is a dead letter (dead) until an operator redelivers it. The event's
-- columns are the outbox's (event_id to data). No foreign key: a delivery outlives its job's retention purge.
-- Times are DATETIME(6) holding UTC. The table is created with its indexes in one statement (IF NOT EXISTS), so the
-- file can be applied again safely.

-- ix_tpwd_queue (dead first): the claim reads each live queue's lowest sequence (MIN ... GROUP BY; a loose index
-- scan on MySQL/MariaDB), so a long backlog behind a head that is not due costs it little.

CREATE TABLE IF NOT EXISTS tenant_provisioning_webhook_delivery (
    sequence        BIGINT        NOT NULL AUTO_INCREMENT,
    id              VARCHAR(36)   NOT NULL,
    subscription    VARCHAR(255)  NOT NULL,
    event_id        VARCHAR(64)   NOT NULL,
    order_key       VARCHAR(255)  NOT NULL,
    tenant_id       VARCHAR(255),
    job_id          VARCHAR(64),
    rollout_id      VARCHAR(64),
    type            VARCHAR(64)   NOT NULL,
    at              DATETIME(6)   NOT NULL,
    data            TEXT          NOT NULL,
    attempts        INT           NOT NULL DEFAULT 0,
    next_attempt_at DATETIME(6)   NOT NULL,
    last_error      VARCHAR(1000),
    dead            BOOLEAN       NOT NULL DEFAULT FALSE,
    lease_owner     VARCHAR(128),
    lease_until     DATETIME(6),
    version         BIGINT        NOT NULL DEFAULT 0,
    PRIMARY KEY (sequence),
    UNIQUE KEY ux_tpwd_id (id),
    UNIQUE KEY ux_tpwd_event_subscription (event_id, subscription),
    KEY ix_tpwd_queue (dead, subscription, order_key, sequence),
    KEY ix_tpwd_dead (dead, subscription, sequence)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
