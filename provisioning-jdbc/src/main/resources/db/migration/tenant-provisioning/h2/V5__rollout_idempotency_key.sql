-- A rollout request's idempotency key: a second request with the same key gets the rollout the first one created
-- (a request whose answer was lost, e.g. to a crash, can be made again without rolling out twice). NULL: no key.
-- Idempotent (IF NOT EXISTS), so JdbcSchemaInitializer can apply it to tables it created before this column.

ALTER TABLE tenant_provisioning_rollouts ADD COLUMN IF NOT EXISTS idempotency_key VARCHAR(255);
CREATE UNIQUE INDEX IF NOT EXISTS ux_tpr_idempotency_key ON tenant_provisioning_rollouts (idempotency_key);
