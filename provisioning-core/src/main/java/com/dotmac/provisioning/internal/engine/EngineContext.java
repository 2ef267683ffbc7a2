package com.dotmac.provisioning.internal.engine;

import com.dotmac.provisioning.CallbackSettings;
import com.dotmac.provisioning.EngineSettings;
import com.dotmac.provisioning.state.OperationPolicy;
import com.dotmac.provisioning.spi.AutomationRunner;
import com.dotmac.provisioning.spi.JobListener;
import com.dotmac.provisioning.spi.JobTracer;
import com.dotmac.provisioning.spi.JobRepository;
import com.dotmac.provisioning.spi.Scheduler;
import com.dotmac.provisioning.spi.TenantDirectory;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Everything the engine works with, fixed when the provisioner is built.
 *
 * @param repository where jobs live
 * @param runner what runs the automation
 * @param directory the host's tenants
 * @param scheduler runs the work
 * @param clock the engine's time: the host's clock, which the constructor wraps in a {@link RepositoryAlignedClock}
 *     (aligned to the repository's time)
 * @param settings pacing
 * @param policy which operations a tenant status allows
 * @param callback callback URL and secret, or null when callbacks are off
 * @param listeners hear every event
 * @param jitter the random source of the retry back-off ({@link EngineSettings#retryBackoff()}), uniform in [0, 1)
 * @param guard what requests may choose (extra vars, template overrides, credentials)
 * @param tracer traces requests, launches, polls and endings ({@link JobTracer#NONE} by default); the constructor
 *     guards it so that it never throws into the engine
 */
public record EngineContext(
        JobRepository repository,
        AutomationRunner runner,
        TenantDirectory directory,
        Scheduler scheduler,
        Clock clock,
        EngineSettings settings,
        OperationPolicy policy,
        @Nullable CallbackSettings callback,
        List<JobListener> listeners,
        DoubleSupplier jitter,
        RequestGuard guard,
        JobTracer tracer) {

    /** Copies the listeners, and aligns the clock to the repository's time (unless it is aligned already). */
    public EngineContext {
        listeners = List.copyOf(listeners);
        tracer = GuardedTracer.of(tracer);
        if (!(clock instanceof RepositoryAlignedClock)) {
            clock = new RepositoryAlignedClock(clock, repository, settings.nodeId());
        }
    }

    /** @return the engine's clock, which {@link RepositoryAlignedClock#align()} aligns to the repository's time */
    RepositoryAlignedClock alignedClock() {
        return (RepositoryAlignedClock) clock;
    }

    /**
     * @param attempt the failed attempt's number, from 1
     * @return how long to wait before the next one, by the settings' retry back-off
     */
    Duration retryDelay(int attempt) {
        return settings.retryBackoff().delay(attempt, jitter);
    }

    /**
     * @param r another runner
     * @return this context with that runner
     */
    EngineContext withRunner(AutomationRunner r) {
        return new EngineContext(repository, r, directory, scheduler, clock, settings, policy, callback, listeners,
                jitter, guard, tracer);
    }

    /** @return the token deriver, or null when callbacks are off */
    @Nullable CallbackTokens tokens() {
        return callback == null ? null : new CallbackTokens(callback.secret());
    }
}
