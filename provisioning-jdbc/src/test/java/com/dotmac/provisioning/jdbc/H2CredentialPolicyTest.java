package com.dotmac.provisioning.jdbc;

import com.dotmac.provisioning.jdbc.support.H2Databases;
import com.dotmac.provisioning.jdbc.support.TestDatabase;

/** {@link JdbcCredentialPolicy} on in-memory H2. */
class H2CredentialPolicyTest extends JdbcCredentialPolicyContract {
    @Override
    protected TestDatabase open() {
        return H2Databases.newDatabase("");
    }
}
