package com.dotmac.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every validation rule rejects with the field named, and a rejected request stores nothing. */
class RequestValidationTest {
    private final EngineHarness h = new EngineHarness().tenant("acme", "pending");

    private static ProvisioningRequest.Builder base() {
        return ProvisioningRequest.builder("acme").deploymentMode(DeploymentMode.DOTMAC_HOSTED);
    }

    private static ConnectionProfile profile() {
        return new ConnectionProfile("server.customer.example", 22, "deploy", "42");
    }

    private static Map<String, Object> deep(int levels) {
        Map<String, Object> value = new HashMap<>(Map.of("leaf", "x"));
        for (int i = 0; i < levels; i++) {
            value = new HashMap<>(Map.of("n", value));
        }
        return value;
    }

    static Stream<Arguments> badRequests() {
        Map<String, Object> tooMany = new LinkedHashMap<>();
        for (int i = 0; i < 65; i++) {
            tooMany.put("k" + i, i);
        }
        Map<String, Object> huge = new LinkedHashMap<>();
        for (int i = 0; i < 10; i++) {
            huge.put("k" + i, "x".repeat(4000));
        }
        List<Object> longList = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            longList.add(i);
        }
        return Stream.of(
                Arguments.of("blank tenant id", "tenant_id", (Supplier<?>) () -> ProvisioningRequest.builder(" ")
                        .deploymentMode(DeploymentMode.DOTMAC_HOSTED).build()),
                Arguments.of("tenant id with slash", "tenant_id", (Supplier<?>) () -> ProvisioningRequest
                        .builder("../etc").deploymentMode(DeploymentMode.DOTMAC_HOSTED).build()),
                Arguments.of("tenant id too long", "tenant_id", (Supplier<?>) () -> ProvisioningRequest
                        .builder("a".repeat(65)).deploymentMode(DeploymentMode.DOTMAC_HOSTED).build()),
                Arguments.of("no deployment mode", "deployment_mode",
                        (Supplier<?>) () -> ProvisioningRequest.builder("acme").build()),
                Arguments.of("key not an identifier", "extra_vars.bad-key",
                        (Supplier<?>) () -> base().extraVar("bad-key", 1).build()),
                Arguments.of("key starting with a digit", "extra_vars.1abc",
                        (Supplier<?>) () -> base().extraVar("1abc", 1).build()),
                Arguments.of("reserved key tenant_id", "extra_vars.tenant_id",
                        (Supplier<?>) () -> base().extraVar("tenant_id", "other").build()),
                Arguments.of("reserved key provisioning_job_id", "extra_vars.provisioning_job_id",
                        (Supplier<?>) () -> base().extraVar("provisioning_job_id", "x").build()),
                Arguments.of("reserved key platform_callback_token", "extra_vars.platform_callback_token",
                        (Supplier<?>) () -> base().extraVar("platform_callback_token", "x").build()),
                Arguments.of("ansible_ prefix", "extra_vars.ansible_connection",
                        (Supplier<?>) () -> base().extraVar("ansible_connection", "local").build()),
                Arguments.of("magic variable hostvars", "extra_vars.hostvars",
                        (Supplier<?>) () -> base().extraVar("hostvars", "x").build()),
                Arguments.of("Jinja expression", "extra_vars.name",
                        (Supplier<?>) () -> base().extraVar("name", "{{ lookup('pipe', 'id') }}").build()),
                Arguments.of("Jinja statement", "extra_vars.name",
                        (Supplier<?>) () -> base().extraVar("name", "{% for x in y %}").build()),
                Arguments.of("Jinja comment", "extra_vars.name",
                        (Supplier<?>) () -> base().extraVar("name", "{# hidden #}").build()),
                Arguments.of("Jinja nested in a list", "extra_vars.sites[1]",
                        (Supplier<?>) () -> base().extraVar("sites", List.of("ok", "{{ evil }}")).build()),
                Arguments.of("Jinja in a nested key", "extra_vars.cfg.{{ k }}",
                        (Supplier<?>) () -> base().extraVar("cfg", Map.of("{{ k }}", 1)).build()),
                Arguments.of("too many keys", "extra_vars", (Supplier<?>) () -> base().extraVars(tooMany).build()),
                Arguments.of("string too long", "extra_vars.big",
                        (Supplier<?>) () -> base().extraVar("big", "x".repeat(5000)).build()),
                Arguments.of("too large in all", "extra_vars", (Supplier<?>) () -> base().extraVars(huge).build()),
                Arguments.of("nested too deeply", "extra_vars.deep.n.n.n.n",
                        (Supplier<?>) () -> base().extraVar("deep", deep(6)).build()),
                Arguments.of("list too long", "extra_vars.many",
                        (Supplier<?>) () -> base().extraVar("many", longList).build()),
                Arguments.of("not a JSON value", "extra_vars.when",
                        (Supplier<?>) () -> base().extraVar("when", new Object()).build()),
                Arguments.of("customer hosted without a profile", "connection_profile",
                        (Supplier<?>) () -> base().deploymentMode(DeploymentMode.CUSTOMER_HOSTED).build()),
                Arguments.of("dotmac hosted with a profile", "connection_profile",
                        (Supplier<?>) () -> base().connectionProfile(profile()).build()),
                Arguments.of("blank requested_by", "requested_by",
                        (Supplier<?>) () -> base().requestedBy("  ").build()),
                Arguments.of("requested_by with a newline", "requested_by",
                        (Supplier<?>) () -> base().requestedBy("alice\nforged log line").build()),
                Arguments.of("idempotency key too long", "idempotency_key",
                        (Supplier<?>) () -> base().idempotencyKey("k".repeat(300)).build()),
                Arguments.of("template id not positive", "awx_template_id",
                        (Supplier<?>) () -> base().templateId(0L).build()),
                Arguments.of("upgrade without a release", "release_version",
                        (Supplier<?>) () -> base().operation(Operation.UPGRADE).build()),
                Arguments.of("release with a shell metacharacter", "release_version",
                        (Supplier<?>) () -> base().operation(Operation.UPGRADE).releaseVersion("1.0;rm -rf /").build()),
                Arguments.of("decommission with a release", "release_version",
                        (Supplier<?>) () -> base().operation(Operation.DECOMMISSION).releaseVersion("1.0").build()),
                Arguments.of("profile host", "connection_profile.host",
                        (Supplier<?>) () -> new ConnectionProfile("bad host!", 22, "deploy", "42")),
                Arguments.of("profile port", "connection_profile.port",
                        (Supplier<?>) () -> new ConnectionProfile("h.example", 70000, "deploy", "42")),
                Arguments.of("profile user", "connection_profile.user",
                        (Supplier<?>) () -> new ConnectionProfile("h.example", 22, "root;id", "42")),
                Arguments.of("profile without credential", "connection_profile.credential_ref",
                        (Supplier<?>) () -> new ConnectionProfile("h.example", 22, "deploy", "")),
                Arguments.of("key material as credential", "connection_profile.credential_ref",
                        (Supplier<?>) () -> new ConnectionProfile("h.example", 22, "deploy",
                                "-----BEGIN OPENSSH PRIVATE KEY-----")),
                Arguments.of("private key field", "connection_profile.ssh_private_key",
                        (Supplier<?>) () -> ConnectionProfile.fromMap(Map.of("host", "h.example", "user", "deploy",
                                "credential_ref", "42", "ssh_private_key", "-----BEGIN RSA PRIVATE KEY-----"))),
                Arguments.of("password field", "connection_profile.password",
                        (Supplier<?>) () -> ConnectionProfile.fromMap(Map.of("host", "h.example", "user", "deploy",
                                "credential_ref", "42", "password", "hunter2"))),
                Arguments.of("unknown profile field", "connection_profile.colour",
                        (Supplier<?>) () -> ConnectionProfile.fromMap(Map.of("host", "h.example", "user", "deploy",
                                "credential_ref", "42", "colour", "blue"))),
                Arguments.of("port of the wrong type", "connection_profile.port",
                        (Supplier<?>) () -> ConnectionProfile.fromMap(Map.of("host", "h.example", "port", "22",
                                "user", "deploy", "credential_ref", "42"))),
                Arguments.of("bastion host", "connection_profile.bastion.host",
                        (Supplier<?>) () -> new ConnectionProfile.Bastion("-bad", 22, "jump")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void aBadRequestNamesTheField(String what, String field, Supplier<?> attempt) {
        assertThatThrownBy(attempt::get)
                .isInstanceOf(InvalidRequestException.class)
                .satisfies(e -> assertThat(((InvalidRequestException) e).fieldErrors())
                        .extracting(FieldError::field).contains(field));
        assertThat(h.repository.size()).isZero();
        assertThat(h.tenantStatus("acme")).isEqualTo("pending");
    }

    @Test
    void errorsNeverEchoASecret() {
        assertThatThrownBy(() -> ConnectionProfile.fromMap(Map.of("host", "h.example", "user", "deploy",
                "credential_ref", "42", "password", "hunter2-secret")))
                .hasMessageNotContaining("hunter2-secret");
        assertThatThrownBy(() -> new ConnectionProfile("h.example", 22, "deploy", "-----BEGIN KEY abcdef"))
                .hasMessageNotContaining("abcdef");
    }

    @Test
    void allProblemsAreReportedTogether() {
        assertThatThrownBy(() -> ProvisioningRequest.builder("bad/id").extraVar("tenant_slug", "x")
                .requestedBy("").build())
                .isInstanceOf(InvalidRequestException.class)
                .satisfies(e -> assertThat(((InvalidRequestException) e).fieldErrors()).extracting(FieldError::field)
                        .containsExactly("tenant_id", "deployment_mode", "extra_vars.tenant_slug", "requested_by"));
    }

    @Test
    void aValidRequestKeepsItsValues() {
        ConnectionProfile p = ConnectionProfile.fromMap(Map.of("host", "2001:db8::7", "port", 2222L, "user", "deploy",
                "credential_ref", "awx:17", "bastion", Map.of("host", "jump.example.com", "user", "ops")));
        ProvisioningRequest r = ProvisioningRequest.builder("tenant-1").deploymentMode(DeploymentMode.CUSTOMER_HOSTED)
                .connectionProfile(p).extraVar("region", "eu").extraVar("sizes", List.of(1, 2.5))
                .extraVar("note", "unicode ✓ and 'quotes' are fine; so is { single }").build();
        assertThat(r.extraVars()).containsEntry("sizes", List.of(1L, new java.math.BigDecimal("2.5")));
        assertThat(p.bastion()).isEqualTo(new ConnectionProfile.Bastion("jump.example.com", 22, "ops"));
        assertThat(p.toMap()).containsEntry("credential_ref", "awx:17");
        assertThat(ConnectionProfile.fromMap(p.toMap())).isEqualTo(p);
    }

    @Test
    void anUnknownTenantIsNotFoundAndNothingIsStored() {
        assertThatThrownBy(() -> h.provisioner.request(ProvisioningRequest.provision("ghost",
                DeploymentMode.DOTMAC_HOSTED)))
                .isInstanceOf(TenantNotFoundException.class).hasMessageContaining("ghost");
        assertThat(h.repository.size()).isZero();
    }

    @Test
    void aTenantWhoseSlugIsNotADnsLabelIsRefused() {
        h.tenants.put("weird", "Not_A_Label", "pending");
        assertThatThrownBy(() -> h.provisioner.request(ProvisioningRequest.provision("weird",
                DeploymentMode.DOTMAC_HOSTED)))
                .isInstanceOf(InvalidRequestException.class)
                .satisfies(e -> assertThat(((InvalidRequestException) e).fieldErrors()).extracting(FieldError::field)
                        .containsExactly("tenant_slug"));
        assertThat(h.repository.size()).isZero();
        assertThat(h.tenantStatus("weird")).isEqualTo("pending");
    }

    @Test
    void theTenantsStatusMustAllowTheOperation() {
        h.tenants.put("live", "live", TenantStatus.PROVISIONED);
        h.tenants.put("new", "new", "pending");
        h.tenants.put("gone", "gone", TenantStatus.DECOMMISSIONED);

        assertThatThrownBy(() -> h.provisioner.request(ProvisioningRequest.provision("live",
                DeploymentMode.DOTMAC_HOSTED))).isInstanceOf(OperationNotAllowedException.class);
        assertThatThrownBy(() -> h.provisioner.request(base().operation(Operation.UPGRADE).releaseVersion("2.0")
                .build().withTenant("new"))).isInstanceOf(OperationNotAllowedException.class);
        assertThatThrownBy(() -> h.provisioner.request(base().operation(Operation.DECOMMISSION).build()
                .withTenant("gone"))).isInstanceOf(OperationNotAllowedException.class);
        assertThat(h.repository.size()).isZero();
        assertThat(h.tenantStatus("live")).isEqualTo(TenantStatus.PROVISIONED);
        assertThat(h.tenantStatus("new")).isEqualTo("pending");
    }

    @Test
    void aSecondRequestWhileAJobIsActiveConflicts() {
        ProvisioningJob first = h.provisioner.request(base().build());
        assertThatThrownBy(() -> h.provisioner.request(base().build()))
                .isInstanceOf(ActiveJobConflictException.class)
                .satisfies(e -> assertThat(((ActiveJobConflictException) e).activeJobId()).isEqualTo(first.id()));
        assertThat(h.repository.size()).isEqualTo(1);
    }

    @Test
    void theSameIdempotencyKeyReturnsTheSameJob() {
        ProvisioningJob first = h.provisioner.request(base().idempotencyKey("req-7").build());
        ProvisioningJob again = h.provisioner.request(base().idempotencyKey("req-7").build());
        h.runToEnd(first.id());
        ProvisioningJob afterEnd = h.provisioner.request(base().idempotencyKey("req-7").build());

        assertThat(again.id()).isEqualTo(first.id());
        assertThat(afterEnd.id()).isEqualTo(first.id());
        assertThat(h.repository.size()).isEqualTo(1);
    }
}
