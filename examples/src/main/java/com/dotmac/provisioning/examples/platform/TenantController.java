package com.dotmac.provisioning.examples.platform;

import com.dotmac.provisioning.rules.InputRules;
import com.dotmac.provisioning.spi.TenantCredential;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The platform's own demo tenants: {@code POST /api/v1/tenants} {@code {id, slug, name}} (which also registers the
 * tenant's credential {@code <slug>-ssh}), {@code GET /api/v1/tenants/{id}} with the status the provisioning library
 * maintains, and {@code POST /api/v1/tenants/{id}/credentials} {@code {reference, runner_credential, hosts}} to
 * register another credential the tenant's customer-hosted jobs may use. Bodies are records bound by Spring MVC
 * with the host's own Jackson mapper (Spring Boot's); the provisioning API's stricter mapper does not apply here.
 */
@RestController
@RequestMapping("/api/v1/tenants")
public class TenantController {
    private final JdbcClient jdbc;
    private final TenantCredentials credentials;

    TenantController(JdbcClient jdbc, TenantCredentials credentials) {
        this.jdbc = jdbc;
        this.credentials = credentials;
    }

    /** A new tenant as the platform's admin UI would create it. */
    record NewTenant(@Nullable String id, @Nullable String slug, @Nullable String name) {
    }

    /** A tenant and its provisioning status. */
    record TenantView(String id, String slug, String name, String status) {
    }

    /** A credential the tenant may use: the reference requests name and what the runner logs in with. */
    record NewCredential(@Nullable String reference, @JsonProperty("runner_credential") @Nullable String runnerCredential,
            @Nullable List<String> hosts) {
    }

    /** The credentials a tenant may use, after one was registered. */
    record TenantCredentialsView(@JsonProperty("tenant_id") String tenantId, List<String> credentials) {
    }

    @PostMapping
    ResponseEntity<?> create(@RequestBody NewTenant tenant) {
        Map<String, String> errors = new LinkedHashMap<>();
        putIf(errors, "id", InputRules.tenantId(tenant.id()));
        putIf(errors, "slug", InputRules.dnsLabel(tenant.slug()));
        if (tenant.name() == null || tenant.name().isBlank() || tenant.name().length() > 200) {
            errors.put("name", "is required, at most 200 characters");
        }
        if (!errors.isEmpty()) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "invalid tenant");
            problem.setProperty("errors", errors);
            return ResponseEntity.badRequest().body(problem);
        }
        String id = Objects.requireNonNull(tenant.id(), "validated above");
        String slug = Objects.requireNonNull(tenant.slug(), "validated above");
        String name = Objects.requireNonNull(tenant.name(), "validated above");
        try {
            jdbc.sql("INSERT INTO tenants (id, slug, name, status) VALUES (?, ?, ?, 'pending')")
                    .params(id, slug, name).update();
        } catch (DuplicateKeyException e) {
            return ResponseEntity.status(HttpStatus.CONFLICT)
                    .body(ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, "a tenant with this id or slug exists"));
        }
        credentials.registerDefault(id, slug);
        return ResponseEntity.created(URI.create("/api/v1/tenants/" + id))
                .body(new TenantView(id, slug, name, "pending"));
    }

    @PostMapping("/{id}/credentials")
    ResponseEntity<?> registerCredential(@PathVariable("id") String id, @RequestBody NewCredential credential) {
        if (get(id).getStatusCode().isError()) {
            return ResponseEntity.notFound().build();
        }
        TenantCredential registration;
        try {
            registration = new TenantCredential(id, String.valueOf(credential.reference()),
                    credential.runnerCredential() == null ? String.valueOf(credential.reference())
                            : credential.runnerCredential(),
                    Set.copyOf(credential.hosts() == null ? List.of() : credential.hosts()));
        } catch (IllegalArgumentException e) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
            return ResponseEntity.badRequest().body(problem);
        }
        credentials.register(registration);
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(new TenantCredentialsView(id, credentials.references(id)));
    }

    @GetMapping("/{id}")
    ResponseEntity<TenantView> get(@PathVariable("id") String id) {
        return jdbc.sql("SELECT id, slug, name, status FROM tenants WHERE id = ?").param(id)
                .query((rs, n) -> new TenantView(rs.getString("id"), rs.getString("slug"), rs.getString("name"),
                        rs.getString("status")))
                .optional().map(ResponseEntity::ok).orElse(ResponseEntity.notFound().build());
    }

    private static void putIf(Map<String, String> errors, String field, @Nullable String problem) {
        if (problem != null) {
            errors.put(field, problem);
        }
    }
}
