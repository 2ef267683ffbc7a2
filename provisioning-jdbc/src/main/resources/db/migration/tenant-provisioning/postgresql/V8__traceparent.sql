-- Tracing: the W3C traceparent of the request that created the job (00-<trace id>-<span id>-<flags>, 55 characters),
-- which the launch passes to the automation so that one trace goes from the API call to the run; NULL when the
-- request was not traced. Only a well-formed value is ever written.
-- Idempotent (IF NOT EXISTS), so JdbcSchemaInitializer can apply it to tables it created before this column.

ALTER TABLE tenant_provisioning_jobs ADD COLUMN IF NOT EXISTS traceparent VARCHAR(55);
