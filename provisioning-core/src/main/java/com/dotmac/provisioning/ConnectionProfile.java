package com.dotmac.provisioning;

import com.dotmac.provisioning.rules.FieldErrors;
import com.dotmac.provisioning.rules.InputRules;
import com.dotmac.provisioning.rules.Strings;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How to reach a customer-hosted tenant's server: host, SSH port, login user and a <em>reference</em> to a stored
 * credential, optionally through a bastion. Key material and passwords are never part of a profile: the runner
 * resolves {@link #credentialRef()} (for AWX, the id of a machine credential) itself. Immutable and thread-safe.
 *
 * <p>The wire form (JSON, the playbook's {@code connection_profile} var) uses the keys {@code host}, {@code port},
 * {@code user}, {@code credential_ref} and {@code bastion} ({@code host}, {@code port}, {@code user}).
 *
 * @param host the target's host name or IP address
 * @param port the SSH port, 1-65535
 * @param user the login user
 * @param credentialRef the stored credential to log in with (e.g. an AWX credential id); never key material
 * @param bastion a jump host to go through, or null
 */
public record ConnectionProfile(String host, int port, String user, String credentialRef, @Nullable Bastion bastion) {
    /** The SSH port used when a profile names none. */
    public static final int DEFAULT_PORT = 22;
    private static final String FIELD = "connection_profile";

    /**
     * Validates every field.
     *
     * @throws InvalidRequestException naming each bad field ({@code connection_profile.host}, ...)
     */
    public ConnectionProfile {
        FieldErrors errors = new FieldErrors();
        check(errors, FIELD + ".host", InputRules.host(host));
        check(errors, FIELD + ".port", InputRules.port(port));
        check(errors, FIELD + ".user", InputRules.userName(user));
        check(errors, FIELD + ".credential_ref", InputRules.credentialReference(credentialRef));
        errors.throwIfAny();
    }

    /**
     * A profile without a bastion.
     *
     * @param host the target's host name or IP address
     * @param port the SSH port
     * @param user the login user
     * @param credentialRef the stored credential to log in with
     */
    public ConnectionProfile(String host, int port, String user, String credentialRef) {
        this(host, port, user, credentialRef, null);
    }

    /**
     * A jump host on the way to the target.
     *
     * @param host the bastion's host name or IP address
     * @param port its SSH port
     * @param user the login user on the bastion
     */
    public record Bastion(String host, int port, String user) {
        /**
         * Validates every field.
         *
         * @throws InvalidRequestException naming each bad field ({@code connection_profile.bastion.host}, ...)
         */
        public Bastion {
            FieldErrors errors = new FieldErrors();
            check(errors, FIELD + ".bastion.host", InputRules.host(host));
            check(errors, FIELD + ".bastion.port", InputRules.port(port));
            check(errors, FIELD + ".bastion.user", InputRules.userName(user));
            errors.throwIfAny();
        }

        /** @return the wire form */
        public Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("host", host);
            map.put("port", (long) port);
            map.put("user", user);
            return map;
        }
    }

    /** @return the wire form: {@code host}, {@code port}, {@code user}, {@code credential_ref}, {@code bastion} */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("host", host);
        map.put("port", (long) port);
        map.put("user", user);
        map.put("credential_ref", credentialRef);
        if (bastion != null) {
            map.put("bastion", bastion.toMap());
        }
        return map;
    }

    /**
     * Reads the wire form, e.g. a request body's {@code connection_profile}.
     *
     * @param map the wire form; {@code port} defaults to 22
     * @return the profile
     * @throws InvalidRequestException naming each bad or unknown field; fields that would carry secrets
     *     ({@code ssh_private_key}, {@code password}, ...) are refused with a pointer to {@code credential_ref}
     */
    public static ConnectionProfile fromMap(Map<String, ?> map) {
        FieldErrors errors = new FieldErrors();
        rejectUnknown(map, FIELD, errors, "host", "port", "user", "credential_ref", "bastion");
        String host = string(map, "host", FIELD, errors);
        int port = port(map, FIELD, errors);
        String user = string(map, "user", FIELD, errors);
        String credentialRef = string(map, "credential_ref", FIELD, errors);
        Bastion bastion = null;
        Object rawBastion = map.get("bastion");
        if (rawBastion instanceof Map<?, ?> b) {
            @SuppressWarnings("unchecked")
            Map<String, ?> bastionMap = (Map<String, ?>) b;
            String prefix = FIELD + ".bastion";
            rejectUnknown(bastionMap, prefix, errors, "host", "port", "user");
            String bHost = string(bastionMap, "host", prefix, errors);
            int bPort = port(bastionMap, prefix, errors);
            String bUser = string(bastionMap, "user", prefix, errors);
            if (errors.isEmpty()) {
                try {
                    bastion = new Bastion(bHost, bPort, bUser);
                } catch (InvalidRequestException e) {
                    e.fieldErrors().forEach(fe -> errors.add(fe.field(), fe.message()));
                }
            }
        } else if (rawBastion != null) {
            errors.add(FIELD + ".bastion", "must be an object with host, port and user");
        }
        errors.throwIfAny();
        return new ConnectionProfile(host, port, user, credentialRef, bastion);
    }

    private static void rejectUnknown(Map<String, ?> map, String prefix, FieldErrors errors, String... known) {
        for (Object key : map.keySet()) {
            String name = String.valueOf(key);
            if (Arrays.asList(known).contains(name)) {
                continue;
            }
            String field = prefix + "." + Strings.abbreviate(name, 64);
            if (InputRules.SECRET_FIELD_NAMES.contains(name.toLowerCase(Locale.ROOT))) {
                errors.add(field, "secrets and key material are never accepted; store the credential (e.g. in AWX)"
                        + " and name it with credential_ref");
            } else {
                errors.add(field, "is not a connection profile field (expected: " + String.join(", ", known) + ")");
            }
        }
    }

    private static String string(Map<String, ?> map, String key, String prefix, FieldErrors errors) {
        Object value = map.get(key);
        if (value instanceof String s) {
            return s;
        }
        errors.add(prefix + "." + key, value == null ? "is required" : "must be a string");
        return "";
    }

    private static int port(Map<String, ?> map, String prefix, FieldErrors errors) {
        Object value = map.get("port");
        if (value == null) {
            return DEFAULT_PORT;
        }
        if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                && n.doubleValue() >= 1 && n.doubleValue() <= 65535) {
            return n.intValue();
        }
        errors.add(prefix + ".port", "must be an integer between 1 and 65535");
        return DEFAULT_PORT;
    }

    private static void check(FieldErrors errors, String field, @Nullable String problem) {
        if (problem != null) {
            errors.add(field, problem);
        }
    }
}
