-- The guard of the cap on runs in flight (PostgreSQL 12+).
-- JdbcJobRepository.commitIfRunsInFlightBelow locks this table's one row (SELECT ... FOR UPDATE), counts the runs in
-- flight and records the launch in one transaction, so engines on several nodes sharing this database never launch
-- more runs than the cap together. Apply it with Flyway after V1, or let JdbcSchemaInitializer apply it. Every
-- statement is idempotent, so the file can be applied again safely.

CREATE TABLE IF NOT EXISTS tenant_provisioning_runs_guard (
    id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1)
);

INSERT INTO tenant_provisioning_runs_guard (id) VALUES (1) ON CONFLICT (id) DO NOTHING;
