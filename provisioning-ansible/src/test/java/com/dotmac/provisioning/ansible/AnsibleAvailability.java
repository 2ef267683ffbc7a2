package com.dotmac.provisioning.ansible;

import com.dotmac.provisioning.ansible.internal.Executables;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit extension behind {@link RequiresAnsible}: skips (or, with {@code PROVISIONING_REQUIRE_ANSIBLE=true},
 * fails) a test class whose tools are not on {@code PATH}.
 */
public final class AnsibleAvailability implements BeforeAllCallback {
    /** The environment variable that turns a missing tool from a skip into a failure. */
    public static final String REQUIRE_VARIABLE = "PROVISIONING_REQUIRE_ANSIBLE";

    @Override
    public void beforeAll(ExtensionContext context) {
        String[] tools = AnnotationSupport.findAnnotation(context.getRequiredTestClass(), RequiresAnsible.class)
                .map(RequiresAnsible::value)
                .orElse(new String[] {"ansible-playbook"});
        check(List.of(tools), System.getenv("PATH"), Boolean.parseBoolean(System.getenv(REQUIRE_VARIABLE)),
                context.getRequiredTestClass().getSimpleName());
    }

    /**
     * @param tools the executables needed
     * @param searchPath the {@code PATH} to look in
     * @param required whether a missing tool is a failure rather than a skip
     * @param what the tests that need them
     * @throws IllegalStateException when a tool is missing and {@code required}
     * @throws org.opentest4j.TestAbortedException when a tool is missing and not {@code required}
     */
    static void check(List<String> tools, @Nullable String searchPath, boolean required, String what) {
        List<String> missing = tools.stream().filter(tool -> Executables.find(tool, searchPath).isEmpty()).toList();
        if (missing.isEmpty()) {
            return;
        }
        String message = String.join(", ", missing) + " not found on PATH: install ansible-core 2.14 or newer and"
                + " ansible-lint 6.13 (e.g. 'apt-get install ansible-core ansible-lint' on Debian 12, or"
                + " 'pipx install ansible-core' and 'pipx install ansible-lint'), and util-linux for setsid, to run "
                + what;
        if (required) {
            throw new IllegalStateException(message + " (" + REQUIRE_VARIABLE + "=true makes this a failure)");
        }
        Assumptions.abort(message + "; skipped (set " + REQUIRE_VARIABLE + "=true to make this a failure)");
    }
}
