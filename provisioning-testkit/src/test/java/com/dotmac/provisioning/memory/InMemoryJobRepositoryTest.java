package com.dotmac.provisioning.memory;

import com.dotmac.provisioning.spi.JobRepository;
import com.dotmac.provisioning.testkit.JobRepositoryContract;

class InMemoryJobRepositoryTest extends JobRepositoryContract {
    @Override
    protected JobRepository createRepository() {
        return new InMemoryJobRepository();
    }
}
