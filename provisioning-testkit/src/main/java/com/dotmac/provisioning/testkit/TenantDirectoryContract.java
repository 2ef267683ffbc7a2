package com.dotmac.provisioning.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.spi.Tenant;
import com.dotmac.provisioning.spi.TenantDirectory;
import com.dotmac.provisioning.spi.TenantStatusChange;
import com.dotmac.provisioning.spi.TenantStatusUpdate;
import com.dotmac.provisioning.state.TenantStatusRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link TenantDirectory} must have, as the engine relies on it: {@code find} reports a tenant
 * with its slug and current status, or nothing; {@code applyStatus} sets the status that a later {@code find}
 * reports, touches no other tenant, may be repeated (the engine applies a status again after a failure or crash),
 * returns normally for a tenant that no longer exists, and is safe to call from several threads and nodes at once.
 * The statuses applied are the ones the engine applies ({@link TenantStatusRules}).
 *
 * <p>An implementation's test extends this class, returns the directory from {@link #directory()} and adds tenants
 * the way the host does (its own table, its own service) in {@link #addTenant}:
 *
 * <pre>{@code
 * class PlatformTenantDirectoryTest extends TenantDirectoryContract {
 *     private final PlatformDatabase db = PlatformDatabase.fresh();
 *     private final PlatformTenantDirectory tenants = new PlatformTenantDirectory(db.dataSource());
 *
 *     protected TenantDirectory directory() { return tenants; }
 *
 *     protected void addTenant(String id, String slug, String status) { db.insertTenant(id, slug, status); }
 * }
 * }</pre>
 *
 * <p>Each test adds the tenants it uses, with ids from {@link #newTenantId()}, so the store need not be empty and
 * may be shared between tests.
 *
 * <p>Selecting tenants by status ({@link TenantDirectory#idsInStatus}) is optional: a directory that cannot says so
 * by throwing {@link UnsupportedOperationException}, and the selection tests are then skipped (reported as such).
 * A directory that can overrides {@link #mustSelectByStatus()} to return {@code true}, so the tests fail instead
 * of being skipped when it throws.
 *
 * <p>Not thread-safe: JUnit makes one instance per test and calls it from one thread (the concurrency tests start
 * their own threads against the directory).
 */
public abstract class TenantDirectoryContract {
    private static final long CONCURRENCY_TIMEOUT_SECONDS = 60;

    /** @return the directory under test (the same instance for the whole test) */
    protected abstract TenantDirectory directory();

    /**
     * Adds a tenant to the store behind {@link #directory()}, the way the host creates tenants.
     *
     * @param id its id, from {@link #newTenantId()}
     * @param slug its slug: a DNS label of at most 20 characters, unique among the tenants the contract adds
     * @param status its status: {@code pending} or {@code active}
     * @throws Exception when it cannot be added (the test fails)
     */
    protected abstract void addTenant(String id, String slug, String status) throws Exception;

    /**
     * An id no tenant has, in the form the host's ids take. Override it when the host's ids are numbers or UUIDs.
     *
     * @return a new id; by default {@code contract-} and 12 random hex digits
     */
    protected String newTenantId() {
        return "contract-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /**
     * @return whether the directory must select tenants by status; {@code false} (the default): it may throw
     *     {@link UnsupportedOperationException} from {@link TenantDirectory#idsInStatus}, which skips those tests
     */
    protected boolean mustSelectByStatus() {
        return false;
    }

    /** @return how many threads the concurrency tests use (default 4) */
    protected int threads() {
        return 4;
    }

    // ---- find ---------------------------------------------------------------------------------------------------

    @Test
    void findReportsTheTenantWithItsSlugAndStatus() throws Exception {
        String id = newTenantId();
        String slug = newSlug();
        addTenant(id, slug, "pending");

        assertThat(directory().find(id)).contains(new Tenant(id, slug, "pending"));
    }

    @Test
    void findOfATenantThatDoesNotExistIsEmpty() throws Exception {
        addTenant(newTenantId(), newSlug(), "active");

        assertThat(directory().find(newTenantId())).isEmpty();
    }

    /** A LIKE, a prefix search or SQL built by concatenation finds tenants it must not. */
    @Test
    void findMatchesTheWholeIdAsAValue() throws Exception {
        String id = newTenantId();
        addTenant(id, newSlug(), "active");
        String prefix = id.substring(0, id.length() - 1);

        assertThat(directory().find(prefix)).isEmpty();
        assertThat(directory().find(prefix + "%")).isEmpty();
        assertThat(directory().find(prefix + "_")).isEmpty();
        assertThat(directory().find("%")).isEmpty();
        assertThat(directory().find("' OR '1'='1")).isEmpty();
        assertThat(directory().find(id)).map(Tenant::id).contains(id);
    }

    // ---- findAll and idsInStatus (rollouts) -----------------------------------------------------------------------

    /** A rollout checks all its tenants at once: those that exist come back by the ids asked, as find reports them. */
    @Test
    void findAllReportsTheTenantsThatExistByTheirIds() throws Exception {
        String a = newTenantId();
        String b = newTenantId();
        String c = newTenantId();
        addTenant(a, newSlug(), "pending");
        addTenant(b, newSlug(), "active");
        addTenant(c, newSlug(), "active");
        String unknown = newTenantId();

        Map<String, Tenant> found = directory().findAll(List.of(a, unknown, c));

        assertThat(found).containsOnlyKeys(a, c);
        assertThat(found.get(a)).isEqualTo(directory().find(a).orElseThrow());
        assertThat(found.get(c)).isEqualTo(directory().find(c).orElseThrow());
        assertThat(directory().findAll(List.of())).isEmpty();
        assertThat(directory().findAll(List.of(unknown))).isEmpty();
    }

    /**
     * A rollout over "every tenant in status X": the ids of the tenants in that status, none in another, in the same
     * order every time, at most {@code limit}; a status applied later is selected by it.
     */
    @Test
    void idsInStatusSelectsTheTenantsInThatStatusInAStableOrder() throws Exception {
        String first = newTenantId();
        String second = newTenantId();
        String pending = newTenantId();
        addTenant(first, newSlug(), "active");
        addTenant(second, newSlug(), "active");
        addTenant(pending, newSlug(), "pending");

        List<String> active = idsInStatus("active", 1_000_000);

        assertThat(active).contains(first, second).doesNotContain(pending).doesNotHaveDuplicates();
        assertThat(idsInStatus("active", 1_000_000)).as("the same order every time").isEqualTo(active);
        assertThat(idsInStatus("active", 1)).as("at most the limit, from the start").isEqualTo(active.subList(0, 1));

        directory().applyStatus(pending, "provisioned", change(Operation.PROVISION, JobStatus.SUCCEEDED));
        assertThat(idsInStatus("provisioned", 1_000_000)).contains(pending).doesNotContain(first, second);
        assertThat(idsInStatus("pending", 1_000_000)).doesNotContain(pending);
    }

    private List<String> idsInStatus(String status, int limit) {
        try {
            return directory().idsInStatus(status, limit);
        } catch (UnsupportedOperationException e) {
            if (mustSelectByStatus()) {
                throw e;
            }
            Assumptions.abort("this directory declares that it cannot select tenants by status: " + e.getMessage());
            throw e;
        }
    }

    // ---- applyStatus ----------------------------------------------------------------------------------------------

    /** Every status of a tenant's life, in the engine's order, some applied twice in a row as after a crash. */
    @Test
    void findReportsEachStatusAppliedAndKeepsTheSlug() throws Exception {
        String id = newTenantId();
        String slug = newSlug();
        addTenant(id, slug, "pending");

        for (Step step : lifeOfATenant()) {
            directory().applyStatus(id, step.status(), step.change());

            assertThat(directory().find(id)).as("after %s", step).contains(new Tenant(id, slug, step.status()));
        }
    }

    /** The engine applies statuses to the id that {@code find} reported. */
    @Test
    void theIdFindReportsIsTheOneApplyStatusTakes() throws Exception {
        String id = newTenantId();
        addTenant(id, newSlug(), "pending");
        Tenant found = directory().find(id).orElseThrow();

        directory().applyStatus(found.id(), status(Operation.PROVISION, JobStatus.QUEUED),
                change(Operation.PROVISION, JobStatus.QUEUED));

        assertThat(directory().find(found.id())).map(Tenant::status).contains("provisioning");
    }

    @Test
    void applyStatusChangesOnlyThatTenant() throws Exception {
        String changed = newTenantId();
        String bystander = newTenantId();
        String bystanderSlug = newSlug();
        addTenant(changed, newSlug(), "pending");
        addTenant(bystander, bystanderSlug, "active");

        directory().applyStatus(changed, "provisioned", change(Operation.PROVISION, JobStatus.SUCCEEDED));

        assertThat(directory().find(changed)).map(Tenant::status).contains("provisioned");
        assertThat(directory().find(bystander)).contains(new Tenant(bystander, bystanderSlug, "active"));
    }

    /** The ends of a sweep's poll batch: several statuses at once, each as {@code applyStatus} sets it. */
    @Test
    void applyStatusesSetsEachTenantAndSkipsOneThatDoesNotExist() throws Exception {
        String first = newTenantId();
        String second = newTenantId();
        String same = newTenantId();
        String bystander = newTenantId();
        String bystanderSlug = newSlug();
        String gone = newTenantId();
        addTenant(first, newSlug(), "pending");
        addTenant(second, newSlug(), "active");
        addTenant(same, newSlug(), "provisioned");
        addTenant(bystander, bystanderSlug, "active");

        Map<String, RuntimeException> refused = directory().applyStatuses(List.of(
                new TenantStatusUpdate(first, "provisioned", new TenantStatusChange("job-1", Operation.PROVISION,
                        JobStatus.SUCCEEDED)),
                new TenantStatusUpdate(gone, "failed", new TenantStatusChange("job-2", Operation.PROVISION,
                        JobStatus.FAILED)),
                new TenantStatusUpdate(second, "decommissioned", new TenantStatusChange("job-3",
                        Operation.DECOMMISSION, JobStatus.SUCCEEDED)),
                new TenantStatusUpdate(same, "provisioned", new TenantStatusChange("job-4", Operation.PROVISION,
                        JobStatus.SUCCEEDED))));

        assertThat(refused).isEmpty();
        assertThat(directory().find(first)).map(Tenant::status).contains("provisioned");
        assertThat(directory().find(second)).map(Tenant::status).contains("decommissioned");
        assertThat(directory().find(same)).map(Tenant::status).contains("provisioned");
        assertThat(directory().find(gone)).isEmpty();
        assertThat(directory().find(bystander)).contains(new Tenant(bystander, bystanderSlug, "active"));
        assertThat(directory().applyStatuses(List.of())).isEmpty();
    }

    /** Applying the status a tenant already has is the usual retry; some databases report 0 changed rows for it. */
    @Test
    void applyingTheStatusATenantAlreadyHasSucceeds() throws Exception {
        String id = newTenantId();
        String slug = newSlug();
        addTenant(id, slug, "provisioned");

        for (int i = 0; i < 3; i++) {
            assertThatCode(() -> directory().applyStatus(id, "provisioned",
                    change(Operation.PROVISION, JobStatus.SUCCEEDED))).doesNotThrowAnyException();
        }

        assertThat(directory().find(id)).contains(new Tenant(id, slug, "provisioned"));
    }

    /**
     * A tenant deleted while its job ran: nothing is left to update, and an exception would make the engine retry
     * for ever. The tenant must not come back.
     */
    @Test
    void applyStatusOfATenantThatDoesNotExistReturnsNormallyAndCreatesNothing() throws Exception {
        String bystander = newTenantId();
        String bystanderSlug = newSlug();
        addTenant(bystander, bystanderSlug, "active");
        String gone = newTenantId();

        assertThatCode(() -> directory().applyStatus(gone, "decommissioned",
                change(Operation.DECOMMISSION, JobStatus.SUCCEEDED))).doesNotThrowAnyException();

        assertThat(directory().find(gone)).isEmpty();
        assertThat(directory().find(bystander)).contains(new Tenant(bystander, bystanderSlug, "active"));
    }

    // ---- thread-safety --------------------------------------------------------------------------------------------

    /** Several nodes follow the jobs of different tenants at once; each sees its own writes, none is lost. */
    @Test
    void concurrentStatusChangesOfDifferentTenantsAreAllApplied() throws Exception {
        List<String> ids = new ArrayList<>();
        List<String> slugs = new ArrayList<>();
        for (int i = 0; i < threads(); i++) {
            ids.add(newTenantId());
            slugs.add(newSlug());
            addTenant(ids.get(i), slugs.get(i), "pending");
        }
        List<Step> life = lifeOfATenant();

        List<Callable<Void>> tasks = new ArrayList<>();
        for (int i = 0; i < threads(); i++) {
            String id = ids.get(i);
            String slug = slugs.get(i);
            tasks.add(() -> {
                for (Step step : life) {
                    directory().applyStatus(id, step.status(), step.change());
                    assertThat(directory().find(id)).as("%s after %s", id, step)
                            .contains(new Tenant(id, slug, step.status()));
                }
                return null;
            });
        }
        runAtOnce(tasks);

        String last = life.get(life.size() - 1).status();
        for (int i = 0; i < threads(); i++) {
            assertThat(directory().find(ids.get(i))).contains(new Tenant(ids.get(i), slugs.get(i), last));
        }
    }

    /**
     * Two nodes may apply the same status to one tenant at once (one retries what the other just did), while
     * requests read it: every write succeeds, and every read sees the old or the new status of the whole tenant.
     */
    @Test
    void concurrentRepeatsOfOneStatusSucceedWhileReadsSeeAWholeTenant() throws Exception {
        String id = newTenantId();
        String slug = newSlug();
        addTenant(id, slug, "pending");
        Tenant before = new Tenant(id, slug, "pending");
        Tenant after = new Tenant(id, slug, "provisioned");
        TenantStatusChange succeeded = change(Operation.PROVISION, JobStatus.SUCCEEDED);

        List<Callable<Void>> tasks = new ArrayList<>();
        for (int i = 0; i < threads(); i++) {
            boolean writer = i % 2 == 0;
            tasks.add(() -> {
                for (int k = 0; k < 10; k++) {
                    if (writer) {
                        directory().applyStatus(id, "provisioned", succeeded);
                    }
                    Optional<Tenant> seen = directory().find(id);
                    assertThat(seen).isPresent();
                    assertThat(seen.orElseThrow()).isIn(before, after);
                }
                return null;
            });
        }
        runAtOnce(tasks);

        assertThat(directory().find(id)).contains(after);
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    /**
     * A status the engine applies, and why.
     *
     * @param status the tenant status
     * @param change the job change that causes it
     */
    protected record Step(String status, TenantStatusChange change) {
    }

    /** @return the statuses of a tenant that is provisioned, fails an upgrade and is decommissioned, in order */
    protected static List<Step> lifeOfATenant() {
        List<Step> steps = new ArrayList<>();
        for (Operation op : List.of(Operation.PROVISION, Operation.UPGRADE, Operation.DECOMMISSION)) {
            JobStatus end = op == Operation.UPGRADE ? JobStatus.FAILED : JobStatus.SUCCEEDED;
            for (JobStatus status : List.of(JobStatus.QUEUED, JobStatus.IN_PROGRESS, end, end)) {
                steps.add(new Step(status(op, status), change(op, status)));
            }
        }
        return steps;
    }

    private static String status(Operation operation, JobStatus jobStatus) {
        return TenantStatusRules.tenantStatusFor(operation, jobStatus);
    }

    private static TenantStatusChange change(Operation operation, JobStatus jobStatus) {
        return new TenantStatusChange("contract-job-" + UUID.randomUUID(), operation, jobStatus);
    }

    private static String newSlug() {
        return "c-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    private void runAtOnce(List<Callable<Void>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Void>> futures = new ArrayList<>();
            for (Callable<Void> task : tasks) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            for (Future<Void> f : futures) {
                f.get(CONCURRENCY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
