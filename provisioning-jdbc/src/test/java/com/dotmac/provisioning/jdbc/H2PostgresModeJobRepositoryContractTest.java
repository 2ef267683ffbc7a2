package com.dotmac.provisioning.jdbc;

/**
 * The repository contract on in-memory H2 in PostgreSQL compatibility mode, which hosts often use to stand in for
 * PostgreSQL in their tests: the H2 dialect works there too.
 */
class H2PostgresModeJobRepositoryContractTest extends H2JobRepositoryContractTest {
    @Override
    protected String settings() {
        return ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
    }
}
