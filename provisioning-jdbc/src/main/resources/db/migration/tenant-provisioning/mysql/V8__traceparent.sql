-- Tracing: the W3C traceparent of the request that created the job (00-<trace id>-<span id>-<flags>, 55 characters),
-- which the launch passes to the automation so that one trace goes from the API call to the run; NULL when the
-- request was not traced. Only a well-formed value is ever written.
-- MySQL has no ADD COLUMN IF NOT EXISTS: JdbcSchemaInitializer applies this file only when the column is missing.

ALTER TABLE tenant_provisioning_jobs ADD COLUMN traceparent VARCHAR(55);
