package com.dotmac.provisioning.testkit;

import com.dotmac.provisioning.spi.JobRepository;
import com.dotmac.provisioning.spi.JobWrite;
import com.dotmac.provisioning.spi.JobWriteOutcome;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A {@link JobRepository} whose {@link #currentTime()} is a given clock's time; every other call goes to the
 * repository it wraps. It stands for a database whose clock the test controls: an engine on a real database and a
 * {@link MutableClock} stays on the test's time (its clock is aligned to the repository's, which is then the
 * {@code MutableClock} itself), and a test can put the database's time apart from a node's clock (clock skew).
 * Batch writes ({@link #commitAll}) go to the wrapped repository's own batch write, so counts taken through this class
 * are those of the wrapped repository. Thread-safe when the wrapped repository and the clock are.
 */
public final class ClockedJobRepository extends ForwardingJobRepository {
    private final Clock clock;

    /**
     * @param delegate the repository that does the work
     * @param clock the repository's time
     */
    public ClockedJobRepository(JobRepository delegate, Clock clock) {
        super(delegate);
        this.clock = clock;
    }

    /** @return the clock's time */
    @Override
    public Optional<Instant> currentTime() {
        return Optional.of(clock.instant());
    }

    /** @return what the wrapped repository's own batch write returns */
    @Override
    public List<JobWriteOutcome> commitAll(List<JobWrite> writes) {
        return delegate().commitAll(writes);
    }
}
