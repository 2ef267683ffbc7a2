package com.dotmac.provisioning.testkit;

import com.dotmac.provisioning.spi.Tenant;
import com.dotmac.provisioning.spi.TenantDirectory;
import com.dotmac.provisioning.spi.TenantStatusChange;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * A {@link TenantDirectory} that makes two concurrent requests race in the worst order, deterministically: during
 * {@link #race}, both requests must reach {@link #find} (so both have done every read that comes before it, e.g. a
 * look-up of their idempotency key) before either goes on; the first to arrive then goes on alone until it has set
 * its tenant's status ({@link #applyStatus}, as a stored request does), and only then does the second read the
 * tenant. Outside a race it simply forwards. Thread-safe.
 */
public final class RequestRace implements TenantDirectory {
    private static final long WAIT_SECONDS = 10;

    private final TenantDirectory delegate;
    private volatile @Nullable Round round;

    /** @param delegate the real directory */
    public RequestRace(TenantDirectory delegate) {
        this.delegate = delegate;
    }

    /**
     * Runs the call twice at once, on two threads, with the directory holding them in the order described above.
     *
     * @param <T> what the call returns
     * @param call a request (e.g. {@code () -> provisioner.request(r)}, or an HTTP call to an API over this
     *     directory)
     * @return both results, in the order the calls finished
     * @throws AssertionError when a call fails (with its exception as the cause) or the race does not happen within
     *     10 seconds
     */
    public <T> List<T> race(Callable<T> call) {
        round = new Round();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch start = new CountDownLatch(1);
            Callable<T> racer = () -> {
                start.await();
                return call.call();
            };
            List<Future<T>> futures = List.of(pool.submit(racer), pool.submit(racer));
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(WAIT_SECONDS * 3, TimeUnit.SECONDS));
            }
            return results;
        } catch (ExecutionException e) {
            throw new AssertionError("a racing request failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("the race did not finish", e);
        } finally {
            round = null;
            pool.shutdownNow();
        }
    }

    @Override
    public Optional<Tenant> find(String tenantId) {
        Round r = round;
        if (r != null) {
            r.arrive();
        }
        return delegate.find(tenantId);
    }

    @Override
    public void applyStatus(String tenantId, String status, TenantStatusChange change) {
        delegate.applyStatus(tenantId, status, change);
        Round r = round;
        if (r != null && r.leader.get() == Thread.currentThread()) {
            r.leaderDone.countDown();
        }
    }

    /** One race: the barrier both requests meet at, and the first's progress. */
    private static final class Round {
        final AtomicInteger arrivals = new AtomicInteger();
        final CyclicBarrier bothInside = new CyclicBarrier(2);
        final AtomicReference<@Nullable Thread> leader = new AtomicReference<>();
        final CountDownLatch leaderDone = new CountDownLatch(1);

        /** The first two look-ups race; any later one (a request looking again) passes. */
        void arrive() {
            int n = arrivals.incrementAndGet();
            if (n > 2) {
                return;
            }
            if (n == 1) {
                leader.set(Thread.currentThread());
            }
            try {
                bothInside.await(WAIT_SECONDS, TimeUnit.SECONDS);
                if (n == 2 && !leaderDone.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                    throw new AssertionError("the first request never set its tenant's status");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while racing", e);
            } catch (BrokenBarrierException | TimeoutException e) {
                throw new AssertionError("the second request never reached the tenant directory", e);
            }
        }
    }
}
