package com.dotmac.provisioning.ansible;

import com.dotmac.provisioning.ansible.internal.Executables;
import java.util.Arrays;
import java.util.List;
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
        List<String> missing = missing(tools);
        if (missing.isEmpty()) {
            return;
        }
        String message = String.join(", ", missing) + " not found on PATH: install ansible-core 2.14 or newer and"
                + " ansible-lint 6.13 (e.g. 'apt-get install ansible-core ansible-lint' on Debian 12, or"
                + " 'pipx install ansible-core ansible-lint'), and util-linux for setsid, to run "
                + context.getRequiredTestClass().getSimpleName();
        if (Boolean.parseBoolean(System.getenv(REQUIRE_VARIABLE))) {
            throw new IllegalStateException(message + " (" + REQUIRE_VARIABLE + "=true makes this a failure)");
        }
        Assumptions.abort(message + "; skipped (set " + REQUIRE_VARIABLE + "=true to make this a failure)");
    }

    /**
     * @param tools executable names
     * @return those not found on {@code PATH}
     */
    static List<String> missing(String... tools) {
        return Arrays.stream(tools)
                .filter(tool -> Executables.find(tool, System.getenv("PATH")).isEmpty())
                .toList();
    }
}
