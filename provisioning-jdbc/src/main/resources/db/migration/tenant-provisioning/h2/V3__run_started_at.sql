-- Pending is not running: when the engine first saw a job's run running (its first poll after the run left
-- pending). The job timeout counts from it; NULL while the run has not been seen running.
-- Idempotent (IF NOT EXISTS), so JdbcSchemaInitializer can apply it to tables it created before this column.

ALTER TABLE tenant_provisioning_jobs ADD COLUMN IF NOT EXISTS run_started_at TIMESTAMP(6) WITH TIME ZONE;
