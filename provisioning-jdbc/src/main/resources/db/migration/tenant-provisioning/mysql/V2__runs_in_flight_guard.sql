-- The guard of the cap on runs in flight (MySQL 8.0.16+ and MariaDB 10.6+, InnoDB).
-- JdbcJobRepository.commitIfRunsInFlightBelow locks this table's one row (SELECT ... FOR UPDATE), counts the runs in
-- flight and records the launch in one transaction, so engines on several nodes sharing this database never launch
-- more runs than the cap together. Apply it with Flyway after V1, or let JdbcSchemaInitializer apply it. Every
-- statement is idempotent, so the file can be applied again safely.

CREATE TABLE IF NOT EXISTS tenant_provisioning_runs_guard (
    id INT NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT ck_tprg_one_row CHECK (id = 1)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

INSERT IGNORE INTO tenant_provisioning_runs_guard (id) VALUES (1);
