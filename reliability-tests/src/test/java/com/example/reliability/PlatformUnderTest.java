package com.example.reliability;

import com.dotmac.provisioning.awx.fake.FakeAwx;
import com.dotmac.provisioning.reliability.support.Postgres;
import com.dotmac.provisioning.reliability.support.Schema;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * What a REST test class starts before its Spring context: a PostgreSQL schema with the library's tables and the
 * host's tenants table, a fake AWX, and the {@code provisioning.*} properties that wire them (callback on, short
 * engine intervals). The schema is left for the embedded server's end, since the cached context may outlive the
 * test class.
 */
final class PlatformUnderTest {
    /** The callback secret the platform signs job tokens with. */
    static final String CALLBACK_SECRET = "platform-callback-secret-9b2e4f71a0c3d8e6";

    final Schema db;
    final FakeAwx awx = new FakeAwx();

    /** @param purpose part of the schema's name */
    PlatformUnderTest(String purpose) {
        db = Postgres.newSchema(purpose).withTables();
        try {
            awx.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @param r the registry to add the properties to (AWX credentials are the caller's) */
    void register(DynamicPropertyRegistry r) {
        r.add("spring.datasource.url", db::url);
        r.add("provisioning.jdbc.initialize-schema", () -> "always");
        r.add("provisioning.tenants.table", () -> "tenants");
        r.add("provisioning.awx.base-url", awx::baseUrl);
        r.add("provisioning.awx.job-templates.provision", () -> FakeAwx.PROVISION_TEMPLATE);
        r.add("provisioning.awx.job-templates.upgrade", () -> FakeAwx.UPGRADE_TEMPLATE);
        r.add("provisioning.awx.job-templates.decommission", () -> FakeAwx.DECOMMISSION_TEMPLATE);
        r.add("provisioning.awx.organization-id", () -> FakeAwx.ORGANIZATION);
        r.add("provisioning.awx.read-timeout", () -> "10s");
        r.add("provisioning.callback.base-url", () -> "https://platform.example.com");
        r.add("provisioning.callback.secret", () -> CALLBACK_SECRET);
        r.add("provisioning.engine.poll-interval", () -> "100ms");
        r.add("provisioning.engine.sweep-interval", () -> "50ms");
        // what requests may choose: the host's own variables, no template override, credentials per tenant
        r.add("provisioning.request.extra-vars.plan.allowed-values", () -> "starter,gold");
        r.add("provisioning.request.extra-vars.region_label.max-length", () -> "64");
        r.add("provisioning.request.extra-vars.note.max-length", () -> "4096");
        r.add("provisioning.request.extra-vars.x.max-length", () -> "4096");
        r.add("provisioning.request.extra-vars.sites.type", () -> "string-list");
        r.add("provisioning.credentials.tenants.acme-control.ctl-ssh.runner-credential", () -> "7");
        r.add("provisioning.credentials.tenants.acme.acme-pw.runner-credential", () -> "8");
        r.add("provisioning.credentials.tenants.acme.acme-pw.hosts", () -> "erp.acme.example");
    }

    /** @return how many jobs are stored, of all tenants */
    long jobRows() {
        return db.scalar("SELECT COUNT(*) FROM tenant_provisioning_jobs");
    }

    /** @return how many job events are stored */
    long eventRows() {
        return db.scalar("SELECT COUNT(*) FROM tenant_provisioning_job_events");
    }
}
