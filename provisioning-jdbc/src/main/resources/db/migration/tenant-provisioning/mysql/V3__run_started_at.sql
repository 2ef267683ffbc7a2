-- Pending is not running: when the engine first saw a job's run running (its first poll after the run left
-- pending), as UTC. The job timeout counts from it; NULL while the run has not been seen running.
-- MySQL has no ADD COLUMN IF NOT EXISTS: JdbcSchemaInitializer applies this file only when the column is missing.

ALTER TABLE tenant_provisioning_jobs ADD COLUMN run_started_at DATETIME(6);
