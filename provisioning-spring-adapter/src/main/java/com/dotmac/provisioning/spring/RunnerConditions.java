package com.dotmac.provisioning.spring;

import java.util.Locale;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/** Which runner {@code provisioning.runner} (and, for {@code auto}, the configured locations) selects. */
final class RunnerConditions {
    private RunnerConditions() {
    }

    static String runner(Environment env) {
        return env.getProperty("provisioning.runner", "auto").trim().toLowerCase(Locale.ROOT);
    }

    /** {@code awx}, or {@code auto} with {@code provisioning.awx.base-url} set. */
    static final class Awx extends SpringBootCondition {
        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            Environment env = context.getEnvironment();
            String runner = runner(env);
            boolean hasUrl = StringUtils.hasText(env.getProperty("provisioning.awx.base-url"));
            if (runner.equals("awx") || (runner.equals("auto") && hasUrl)) {
                return ConditionOutcome.match("provisioning.runner=" + runner + ", awx base-url set: " + hasUrl);
            }
            return ConditionOutcome.noMatch("provisioning.runner=" + runner + ", awx base-url set: " + hasUrl);
        }
    }

    /** {@code ansible}, or {@code auto} with no AWX base URL and {@code provisioning.ansible.project-dir} set. */
    static final class Ansible extends SpringBootCondition {
        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            Environment env = context.getEnvironment();
            String runner = runner(env);
            boolean hasUrl = StringUtils.hasText(env.getProperty("provisioning.awx.base-url"));
            boolean hasProject = StringUtils.hasText(env.getProperty("provisioning.ansible.project-dir"));
            if (runner.equals("ansible") || (runner.equals("auto") && !hasUrl && hasProject)) {
                return ConditionOutcome.match("provisioning.runner=" + runner + ", ansible project-dir set: "
                        + hasProject);
            }
            return ConditionOutcome.noMatch("provisioning.runner=" + runner + ", ansible project-dir set: "
                    + hasProject + ", awx base-url set: " + hasUrl);
        }
    }
}
