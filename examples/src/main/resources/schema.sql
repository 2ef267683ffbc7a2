-- The example platform's own tenants (the provisioning library creates its job tables itself).
CREATE TABLE IF NOT EXISTS tenants (
    id     VARCHAR(64)  PRIMARY KEY,
    slug   VARCHAR(63)  NOT NULL UNIQUE,
    name   VARCHAR(200) NOT NULL,
    status VARCHAR(40)  NOT NULL
);
