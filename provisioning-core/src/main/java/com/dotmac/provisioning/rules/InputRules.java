package com.dotmac.provisioning.rules;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The checks applied to everything that reaches Ansible (docs/SECURITY.md). Each method returns a reason
 * when the value is refused, or {@code null} when it is fine; reasons never echo the value itself.
 */
public final class InputRules {
    /** Longest tenant id accepted. */
    public static final int MAX_TENANT_ID_LENGTH = 64;
    /** Longest free-text field (requested-by, reasons, idempotency keys). */
    public static final int MAX_TEXT_LENGTH = 255;

    private static final Pattern TENANT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    private static final Pattern HOST_NAME =
            Pattern.compile("(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?");
    private static final Pattern IPV4 = Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    private static final Pattern POSIX_USER = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,31}");
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,63}");
    private static final Pattern CREDENTIAL_REF = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:/@-]{0,127}");

    private InputRules() {
    }

    /**
     * @param tenantId a tenant id
     * @return why it is refused, or null
     */
    public static @Nullable String tenantId(@Nullable String tenantId) {
        if (Strings.isBlank(tenantId)) {
            return "is required";
        }
        return TENANT_ID.matcher(tenantId).matches() ? null
                : "must be 1-64 characters: letters, digits, '.', '_', ':' or '-', starting with a letter or digit";
    }

    /**
     * @param slug a tenant slug
     * @return why it is refused, or null
     */
    public static @Nullable String dnsLabel(@Nullable String slug) {
        if (Strings.isBlank(slug)) {
            return "is required";
        }
        return DNS_LABEL.matcher(slug).matches() ? null
                : "must be a DNS label: 1-63 lower-case letters, digits or '-', not starting or ending with '-'";
    }

    /**
     * @param key an extra-var key
     * @return why it is refused, or null
     */
    public static @Nullable String identifier(String key) {
        return IDENTIFIER.matcher(key).matches() ? null
                : "must be an identifier: 1-64 letters, digits or '_', not starting with a digit";
    }

    /**
     * @param value any string that will reach Ansible
     * @return why it is refused, or null
     */
    public static @Nullable String templateSafe(String value) {
        if (value.contains("{{") || value.contains("{%") || value.contains("{#")) {
            return "must not contain Jinja delimiters ('{{', '{%', '{#'): Ansible would evaluate them";
        }
        return controlCharacters(value, true);
    }

    /**
     * Refuses the characters that change how a line is read: C0 and C1 controls (NUL, CR, ESC, ...), Unicode line
     * and paragraph separators, the byte-order mark, bidirectional overrides and isolates (which make text render in
     * another order than it is parsed) and lone surrogates.
     *
     * @param value any string that will reach Ansible or a template
     * @param allowLineBreaks whether line feeds and tabs are accepted (multi-line text)
     * @return why it is refused, or null
     */
    public static @Nullable String controlCharacters(String value, boolean allowLineBreaks) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\n' || c == '\t') {
                if (!allowLineBreaks) {
                    return "must be a single line: no line feed or tab (control characters)";
                }
            } else if (c == '\0') {
                return "must not contain NUL characters";
            } else if (Character.isISOControl(c)) {
                return "must not contain control characters (U+" + hex(c) + ")";
            } else if (isInvisibleFormatting(c)) {
                return "must not contain bidirectional or invisible formatting characters (U+" + hex(c) + ")";
            } else if (Character.isSurrogate(c)) {
                boolean paired = Character.isHighSurrogate(c) && i + 1 < value.length()
                        && Character.isLowSurrogate(value.charAt(i + 1));
                if (!paired) {
                    return "must not contain unpaired surrogate characters";
                }
                i++;
            }
        }
        return null;
    }

    private static boolean isInvisibleFormatting(char c) {
        return c == '\u061C' || c == '\u200E' || c == '\u200F' || (c >= '\u202A' && c <= '\u202E')
                || (c >= '\u2066' && c <= '\u2069') || c == '\u2028' || c == '\u2029' || c == '\uFEFF';
    }

    private static String hex(char c) {
        return String.format(Locale.ROOT, "%04X", (int) c);
    }

    /**
     * @param value free text (requested-by, reason, idempotency key)
     * @param max its longest accepted length
     * @return why it is refused, or null
     */
    public static @Nullable String text(@Nullable String value, int max) {
        if (value == null || Strings.isBlank(value)) {
            return "must not be blank";
        }
        if (value.length() > max) {
            return "must be at most " + max + " characters";
        }
        String control = controlCharacters(value, false);
        return control != null ? control : templateSafe(value);
    }

    /**
     * @param host a host name or IP literal
     * @return why it is refused, or null
     */
    public static @Nullable String host(@Nullable String host) {
        if (host == null || Strings.isBlank(host)) {
            return "is required";
        }
        if (IPV4.matcher(host).matches() || HOST_NAME.matcher(host).matches()) {
            return null;
        }
        if (host.contains(":") && IPV6.matcher(host).matches()) {
            return null;
        }
        return "must be a host name or an IP address";
    }

    /**
     * @param port a TCP port
     * @return why it is refused, or null
     */
    public static @Nullable String port(int port) {
        return port >= 1 && port <= 65535 ? null : "must be between 1 and 65535";
    }

    /**
     * @param user a remote login name
     * @return why it is refused, or null
     */
    public static @Nullable String userName(@Nullable String user) {
        if (Strings.isBlank(user)) {
            return "is required";
        }
        return POSIX_USER.matcher(user).matches() ? null
                : "must be a user name: 1-32 letters, digits, '_', '.' or '-', not starting with a digit, '.' or '-'";
    }

    /**
     * @param version a release version
     * @return why it is refused, or null
     */
    public static @Nullable String releaseVersion(@Nullable String version) {
        if (Strings.isBlank(version)) {
            return "is required";
        }
        return VERSION.matcher(version).matches() ? null
                : "must be 1-64 letters, digits, '.', '_', '+' or '-', starting with a letter or digit";
    }

    /**
     * @param reference a credential reference (an AWX credential id, or a name the host resolves)
     * @return why it is refused, or null
     */
    public static @Nullable String credentialReference(@Nullable String reference) {
        if (reference == null || Strings.isBlank(reference)) {
            return "is required: name the credential (e.g. an AWX credential id); key material is never accepted";
        }
        if (looksLikeKeyMaterial(reference)) {
            return "looks like key material; name a stored credential instead, keys are never accepted in a request";
        }
        return CREDENTIAL_REF.matcher(reference).matches() ? null
                : "must be 1-128 letters, digits, '_', '.', ':', '/', '@' or '-'";
    }

    /**
     * @param value any string
     * @return whether it looks like a private key, a public key line or a PEM block
     */
    public static boolean looksLikeKeyMaterial(String value) {
        String upper = value.toUpperCase(Locale.ROOT);
        return upper.contains("PRIVATE KEY") || upper.contains("-----BEGIN") || upper.contains("OPENSSH")
                || upper.startsWith("SSH-RSA ") || upper.startsWith("SSH-ED25519 ") || upper.startsWith("ECDSA-SHA2-");
    }

    /** Names of connection-profile fields that would carry secrets; refused with a pointer to credential_ref. */
    public static final Set<String> SECRET_FIELD_NAMES = Set.of("password", "ssh_password", "private_key",
            "ssh_private_key", "ssh_key", "ssh_key_data", "key", "key_data", "passphrase", "ssh_key_unlock",
            "become_password", "secret", "token");
}
