package com.dotmac.provisioning.reliability.support;

import com.dotmac.provisioning.jdbc.support.EmbeddedPostgresDatabases;

/**
 * Schemas on the embedded PostgreSQL server of this test JVM ({@code provisioning-jdbc}'s test support: one server
 * per JVM, started on first use). Child JVMs of the crash test reach the same server by URL.
 */
public final class Postgres {
    private Postgres() {
    }

    /**
     * @param purpose a short name, part of the schema's name
     * @return a fresh, empty schema, the default schema of every connection made with its URL
     */
    public static Schema newSchema(String purpose) {
        String name = EmbeddedPostgresDatabases.uniqueName(purpose);
        String url = EmbeddedPostgresDatabases.createSchema(name);
        return new Schema(name, url, () -> EmbeddedPostgresDatabases.dropSchema(name));
    }
}
