package com.dotmac.provisioning.memory;

import com.dotmac.provisioning.spi.JobRepository;
import com.dotmac.provisioning.spi.RolloutRepository;
import com.dotmac.provisioning.testkit.EventOutboxContract;

class InMemoryEventOutboxTest extends EventOutboxContract {
    @Override
    protected JobRepository createRepository() {
        return InMemoryJobRepository.recordingEvents();
    }

    @Override
    protected RolloutRepository rolloutRepository() {
        return new InMemoryRolloutRepository((InMemoryJobRepository) repository);
    }
}
