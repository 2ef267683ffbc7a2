-- A rollout request's idempotency key: a second request with the same key gets the rollout the first one created
-- (a request whose answer was lost, e.g. to a crash, can be made again without rolling out twice). NULL: no key.
-- MySQL has no ADD COLUMN IF NOT EXISTS: JdbcSchemaInitializer applies this file only when the column is missing.

ALTER TABLE tenant_provisioning_rollouts ADD COLUMN idempotency_key VARCHAR(255);
CREATE UNIQUE INDEX ux_tpr_idempotency_key ON tenant_provisioning_rollouts (idempotency_key);
