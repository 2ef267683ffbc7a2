package com.dotmac.provisioning.jdbc;

/** The rollout repository contract on in-memory H2 in PostgreSQL compatibility mode, as hosts use it in tests. */
class H2PostgresModeRolloutRepositoryContractTest extends H2RolloutRepositoryContractTest {
    @Override
    protected String settings() {
        return ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
    }
}
