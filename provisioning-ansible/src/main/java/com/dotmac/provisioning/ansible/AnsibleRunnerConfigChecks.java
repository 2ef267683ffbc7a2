package com.dotmac.provisioning.ansible;

import com.dotmac.provisioning.FieldError;
import com.dotmac.provisioning.rules.ExtraVarsRules;
import com.dotmac.provisioning.rules.FieldErrors;
import com.dotmac.provisioning.rules.JsonValues;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** The checks behind {@link AnsibleRunnerConfig}: each names the setting it refuses. Stateless and thread-safe. */
final class AnsibleRunnerConfigChecks {
    private static final Pattern ENVIRONMENT_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern GROUP_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

    private AnsibleRunnerConfigChecks() {
    }

    static Map<String, String> environment(Map<String, String> environment) {
        for (String name : environment.keySet()) {
            if (!ENVIRONMENT_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("environment: '" + name + "' is not an environment variable name");
            }
        }
        return Collections.unmodifiableMap(new LinkedHashMap<>(environment));
    }

    static List<String> playbookArguments(List<String> arguments) {
        for (String argument : arguments) {
            if (argument.isBlank() || argument.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("playbookArguments must not contain blank or NUL arguments");
            }
        }
        return List.copyOf(arguments);
    }

    static String targetGroup(String group) {
        if (!GROUP_NAME.matcher(group).matches()) {
            throw new IllegalArgumentException("targetGroup must be an Ansible group name, was '" + group + "'");
        }
        return group;
    }

    static String command(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isBlank() || value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(name + " must name an executable");
        }
        return value;
    }

    static String relativeOrAbsolute(@Nullable String value, String name) {
        if (value == null || value.isBlank() || value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(
                    name + " must be a path (relative to the project directory, or absolute)");
        }
        return value;
    }

    static Duration positive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
        return value;
    }

    static Map<String, Object> extraVars(Map<String, Object> vars, String name) {
        FieldErrors errors = new FieldErrors();
        ExtraVarsRules.checkSettings(vars, errors);
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(errors.list().stream()
                    .map(FieldError::toString)
                    .map(e -> e.replaceFirst("^extra_vars", name))
                    .collect(Collectors.joining("; ")));
        }
        return JsonValues.copyMap(vars);
    }
}
