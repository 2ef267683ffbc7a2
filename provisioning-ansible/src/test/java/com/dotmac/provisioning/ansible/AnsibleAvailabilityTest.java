package com.dotmac.provisioning.ansible;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/** Tests that need Ansible are skipped without it, saying how to install it, or fail when CI requires it. */
class AnsibleAvailabilityTest {
    private static final String PATH = System.getenv("PATH");

    @Test
    void aMissingToolSkipsTheTestsWithInstallInstructions() {
        assertThatThrownBy(() -> AnsibleAvailability.check(List.of("sh", "no-such-ansible-tool"), PATH, false,
                "SomeTest"))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("no-such-ansible-tool not found on PATH")
                .hasMessageContaining("install ansible-core")
                .hasMessageContaining("PROVISIONING_REQUIRE_ANSIBLE=true")
                .message().doesNotContain("sh,");
    }

    @Test
    void aMissingToolFailsTheTestsWhenCiRequiresAnsible() {
        assertThatThrownBy(() -> AnsibleAvailability.check(List.of("no-such-ansible-tool"), PATH, true, "SomeTest"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("install ansible-core");
        assertThatThrownBy(() -> AnsibleAvailability.check(List.of("sh"), null, true, "SomeTest"))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void presentToolsLetTheTestsRun() {
        assertThatCode(() -> AnsibleAvailability.check(List.of("sh"), PATH, true, "SomeTest"))
                .doesNotThrowAnyException();
    }
}
