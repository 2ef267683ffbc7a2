package com.dotmac.provisioning.jdbc;

import com.dotmac.provisioning.jdbc.support.H2Databases;
import com.dotmac.provisioning.jdbc.support.TestDatabase;

/** The engine on in-memory H2. */
class H2EngineTest extends EngineOnJdbcContract {
    @Override
    protected TestDatabase open() {
        return H2Databases.newDatabase("");
    }
}
