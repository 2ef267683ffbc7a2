package com.dotmac.provisioning.ansible;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class that runs real Ansible tools. When one is missing its tests are skipped with a message saying
 * how to install it, unless the environment variable {@code PROVISIONING_REQUIRE_ANSIBLE} is {@code true} (CI), in
 * which case they fail.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@ExtendWith(AnsibleAvailability.class)
public @interface RequiresAnsible {
    /** @return the executables the tests need on {@code PATH} */
    String[] value() default {"ansible-playbook", "ansible-inventory", "setsid"};
}
