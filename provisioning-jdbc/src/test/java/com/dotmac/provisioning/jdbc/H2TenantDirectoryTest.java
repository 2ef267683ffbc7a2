package com.dotmac.provisioning.jdbc;

import com.dotmac.provisioning.jdbc.support.H2Databases;
import com.dotmac.provisioning.jdbc.support.TestDatabase;

/** {@link JdbcTenantDirectory} on in-memory H2. */
class H2TenantDirectoryTest extends JdbcTenantDirectoryContract {
    @Override
    protected TestDatabase open() {
        return H2Databases.newDatabase("");
    }
}
