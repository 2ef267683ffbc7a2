package com.dotmac.provisioning.reliability.rollout;

import com.dotmac.provisioning.PlaybookVariables;
import com.dotmac.provisioning.awx.fake.FakeAwx;
import com.dotmac.provisioning.awx.fake.LaunchRecord;
import com.dotmac.provisioning.reliability.support.Schema;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A fleet of tenants that can be upgraded, seeded straight into a test schema, and what the fake AWX and the
 * database say about it afterwards. Stateless; thread-safe.
 */
final class Fleet {
    /** The release every seeded tenant runs. */
    static final String SEEDED_RELEASE = "1.0.0";

    private Fleet() {
    }

    /**
     * Seeds {@code count} tenants {@code <prefix>-00000}, ... in status {@code provisioned}, each with a succeeded
     * {@code dotmac_hosted} provision job of release {@value #SEEDED_RELEASE} (an upgrade takes its deployment mode
     * from the tenant's latest job), in two statements: no lifecycle through AWX.
     *
     * @param db the schema (with tables)
     * @param prefix the tenants' id prefix, a DNS label
     * @param count how many
     * @param provisionedAt when their provision job ended (before the engine's clock)
     * @return the tenant ids, in order
     */
    static List<String> seedUpgradable(Schema db, String prefix, int count, Instant provisionedAt) {
        OffsetDateTime at = provisionedAt.atOffset(ZoneOffset.UTC);
        db.update("INSERT INTO tenants (id, slug, status) SELECT ? || lpad(g::text, 5, '0'), ? || lpad(g::text, 5, "
                + "'0'), 'provisioned' FROM generate_series(0, ? - 1) AS g", prefix + "-", prefix + "-", count);
        int jobs = db.update("INSERT INTO tenant_provisioning_jobs (id, tenant_id, tenant_slug, operation, "
                + "deployment_mode, status, requested_by, created_at, updated_at, started_at, finished_at, "
                + "release_version, version, tenant_status_applied) SELECT 'seed-' || id, id, slug, 'provision', "
                + "'dotmac_hosted', 'succeeded', 'fleet-seed', ?, ?, ?, ?, ?, 1, TRUE FROM tenants WHERE id LIKE ?",
                at, at, at, at, SEEDED_RELEASE, prefix + "-%");
        if (jobs != count) {
            throw new IllegalStateException("seeded " + jobs + " provision jobs for " + count + " tenants");
        }
        return IntStream.range(0, count).mapToObj(i -> String.format("%s-%05d", prefix, i)).toList();
    }

    /**
     * @param awx the fake
     * @return the AWX runs started, by the {@code tenant_id} each launch carried
     */
    static Map<String, Long> runsByTenant(FakeAwx awx) {
        return awx.launches().stream().filter(l -> l.jobId() != null).collect(Collectors.groupingBy(
                Fleet::tenantOf, TreeMap::new, Collectors.counting()));
    }

    /**
     * @param launch a launch
     * @return the {@code tenant_id} it carried
     */
    static String tenantOf(LaunchRecord launch) {
        return String.valueOf(launch.extraVars().get(PlaybookVariables.TENANT_ID));
    }

    /**
     * @param db the schema
     * @param prefix the tenants' id prefix
     * @param release the release rolled out
     * @return how many of those tenants are {@code provisioned} and whose latest job is a succeeded upgrade to
     *     {@code release}
     */
    static long upgraded(Schema db, String prefix, String release) {
        return db.scalar("SELECT COUNT(*) FROM tenants t WHERE t.id LIKE ? AND t.status = 'provisioned' AND "
                + "(SELECT j.operation || ' ' || j.status || ' ' || j.release_version FROM tenant_provisioning_jobs j "
                + "WHERE j.tenant_id = t.id ORDER BY j.created_at DESC, j.id DESC LIMIT 1) = ?", prefix + "-%",
                "upgrade succeeded " + release);
    }
}
