package com.dotmac.provisioning.memory;

import com.dotmac.provisioning.spi.JobRepository;
import com.dotmac.provisioning.testkit.JobRepositoryContractTest;

class InMemoryJobRepositoryTest extends JobRepositoryContractTest {
    @Override
    protected JobRepository createRepository() {
        return new InMemoryJobRepository();
    }
}
