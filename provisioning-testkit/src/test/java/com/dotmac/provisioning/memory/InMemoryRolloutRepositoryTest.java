package com.dotmac.provisioning.memory;

import com.dotmac.provisioning.spi.RolloutRepository;
import com.dotmac.provisioning.testkit.RolloutRepositoryContract;

/** The in-memory rollout repository passes the contract. */
class InMemoryRolloutRepositoryTest extends RolloutRepositoryContract {
    @Override
    protected RolloutRepository createRepository() {
        return new InMemoryRolloutRepository();
    }
}
