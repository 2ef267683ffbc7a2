-- The guard of the cap on runs in flight (H2 2.x, regular or PostgreSQL compatibility mode).
-- JdbcJobRepository.commitIfRunsInFlightBelow locks this table's one row (SELECT ... FOR UPDATE), counts the runs in
-- flight and records the launch in one transaction, so engines sharing this database never launch more runs than
-- the cap together. Apply it with Flyway after V1, or let JdbcSchemaInitializer apply it. Every statement is
-- idempotent, so the file can be applied again safely.

CREATE TABLE IF NOT EXISTS tenant_provisioning_runs_guard (
    id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1)
);

MERGE INTO tenant_provisioning_runs_guard (id) KEY (id) VALUES (1);
