package com.dotmac.provisioning.policy;

import com.dotmac.provisioning.FieldError;
import com.dotmac.provisioning.rules.Strings;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The allow-list of a request's own extra vars: only declared names pass, each with the values its
 * {@link RequestVariable} accepts; anything else is refused naming the key ({@code extra_vars.<key>}), before
 * anything is stored or launched. Immutable and thread-safe.
 *
 * <p>Set it with {@code TenantProvisioner.Builder#requestVariables} or, in Spring Boot, with
 * {@code provisioning.request.extra-vars.<name>.type} (and {@code .pattern}, {@code .allowed-values},
 * {@code .max-length}, {@code .multi-line}, {@code .min}, {@code .max}). Without a declaration, {@link #DEFAULT}
 * applies.
 */
public final class RequestVariables {
    /**
     * The default allow-list: {@code plan} and {@code region}, short lower-case words such as {@code gold} or
     * {@code eu-west-1}. Neither is read by the shipped roles; they reach the playbook for the host's own use.
     */
    public static final RequestVariables DEFAULT = of(
            RequestVariable.string("plan").pattern("[a-z0-9][a-z0-9_-]{0,31}").build(),
            RequestVariable.string("region").pattern("[a-z0-9][a-z0-9-]{0,31}").build());

    private static final RequestVariables NONE = new RequestVariables(List.of());

    private final Map<String, RequestVariable> byName;

    private RequestVariables(Collection<RequestVariable> variables) {
        Map<String, RequestVariable> map = new LinkedHashMap<>();
        for (RequestVariable v : variables) {
            if (map.putIfAbsent(v.name(), v) != null) {
                throw new IllegalArgumentException("request variable '" + v.name() + "' is declared twice");
            }
        }
        this.byName = Map.copyOf(map);
    }

    /**
     * @param variables the declarations
     * @return an allow-list of exactly these variables
     * @throws IllegalArgumentException when a name is declared twice
     */
    public static RequestVariables of(RequestVariable... variables) {
        return new RequestVariables(List.of(variables));
    }

    /**
     * @param variables the declarations
     * @return an allow-list of exactly these variables
     * @throws IllegalArgumentException when a name is declared twice
     */
    public static RequestVariables of(Collection<RequestVariable> variables) {
        return new RequestVariables(variables);
    }

    /** @return an allow-list that accepts no request extra vars at all */
    public static RequestVariables none() {
        return NONE;
    }

    /** @return the declared names, sorted */
    public List<String> names() {
        return byName.keySet().stream().sorted().toList();
    }

    /** @return every declaration, sorted by name */
    public List<RequestVariable> variables() {
        return names().stream().map(byName::get).toList();
    }

    /**
     * @param name a variable name
     * @return its declaration, or empty when it is not declared
     */
    public Optional<RequestVariable> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /**
     * @param extraVars a request's extra vars
     * @return a problem per undeclared key or refused value, named {@code extra_vars.<key>}; empty when all pass
     */
    public List<FieldError> check(Map<String, ?> extraVars) {
        List<FieldError> errors = new ArrayList<>();
        for (Map.Entry<String, ?> e : extraVars.entrySet()) {
            String field = "extra_vars." + Strings.abbreviate(e.getKey(), 64);
            RequestVariable declared = byName.get(e.getKey());
            if (declared == null) {
                errors.add(new FieldError(field, "is not a request variable this platform accepts ("
                        + (byName.isEmpty() ? "it accepts none" : "accepted: " + String.join(", ", names()))
                        + "); the host declares them with provisioning.request.extra-vars.<name>.type, or"
                        + " TenantProvisioner.Builder#requestVariables"));
                continue;
            }
            String problem = declared.check(e.getValue());
            if (problem != null) {
                errors.add(new FieldError(field, problem));
            }
        }
        return errors;
    }

    @Override
    public String toString() {
        return "RequestVariables" + names();
    }
}
