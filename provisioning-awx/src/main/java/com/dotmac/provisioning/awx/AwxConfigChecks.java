package com.dotmac.provisioning.awx;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.PlaybookVariables;
import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.X509TrustManager;
import org.jspecify.annotations.Nullable;

/** The checks behind {@link AwxConfig}: each names the setting it refuses. Stateless and thread-safe. */
final class AwxConfigChecks {
    /** What a survey variable name must be: an identifier, as Ansible variable names are. */
    private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    /** The contract variables the library derives itself; {@link #surveyVariables()} may name only the others. */
    private static final Set<String> DERIVED_VARIABLES = Set.of(PlaybookVariables.TENANT_ID,
            PlaybookVariables.TENANT_SLUG, PlaybookVariables.DEPLOYMENT_MODE, PlaybookVariables.OPERATION,
            PlaybookVariables.PROVISIONING_JOB_ID, PlaybookVariables.CONNECTION_PROFILE,
            PlaybookVariables.RELEASE_VERSION);

    private AwxConfigChecks() {
    }


    static String normaliseBaseUrl(@Nullable String raw) {
        String value = require(raw, "baseUrl").trim();
        URI uri;
        try {
            uri = URI.create(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "baseUrl is not a URL: " + String.valueOf(e.getMessage()).replace(value, "<baseUrl>"));
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new IllegalArgumentException("baseUrl must be an http(s) URL such as https://awx.example.com");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(
                    "baseUrl must not carry credentials; set the token, or username and password, instead");
        }
        if (uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("baseUrl must have a host and no query or fragment");
        }
        return value.endsWith("/") ? value : value + "/";
    }

    static @Nullable String normaliseApiPath(@Nullable String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String value = raw.trim();
        if (!value.startsWith("/") || value.contains("?") || value.contains("#") || value.contains("..")) {
            throw new IllegalArgumentException("apiPath must be an absolute path such as /api/v2/ or "
                    + "/api/controller/v2/");
        }
        return value.endsWith("/") ? value : value + "/";
    }

    static String checkName(String value, String field, boolean allowTrailingDash) {
        Objects.requireNonNull(value, field);
        String pattern = allowTrailingDash ? "[A-Za-z0-9_.-]{0,64}" : "[A-Za-z_][A-Za-z0-9_]{0,63}";
        if (!value.matches(pattern)) {
            throw new IllegalArgumentException(field + " must match " + pattern);
        }
        return value;
    }

    static Set<String> checkSurveyVariables(Collection<String> names) {
        Set<String> checked = new TreeSet<>();
        for (String name : names) {
            if (name == null || !VARIABLE_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("surveyVariables must be variable names (identifiers such as plan),"
                        + " was " + (name == null ? "null" : "'" + bounded(name) + "'"));
            }
            if (DERIVED_VARIABLES.contains(name)) {
                throw new IllegalArgumentException("surveyVariables must not name " + name + ": the library sends it"
                        + " itself and the preflight expects it on its own; name only the declared request variables"
                        + " and, with callbacks on, platform_callback_url and platform_callback_token");
            }
            checked.add(name);
        }
        return Collections.unmodifiableSet(checked);
    }

    static String bounded(String text) {
        return text.length() <= 64 ? text : text.substring(0, 63) + "…";
    }

    static <T> T require(@Nullable T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is required");
        }
        return value;
    }

    static @Nullable Long positiveOrNull(@Nullable Long value, String field) {
        if (value != null && value <= 0) {
            throw new IllegalArgumentException(field + " must be a positive AWX id, was " + value);
        }
        return value;
    }

    static Duration positive(Duration value, String field) {
        Objects.requireNonNull(value, field);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(field + " must be positive, was " + value);
        }
        return value;
    }

    static Duration notNegative(Duration value, String field) {
        Objects.requireNonNull(value, field);
        if (value.isNegative()) {
            throw new IllegalArgumentException(field + " must not be negative, was " + value);
        }
        return value;
    }

    static Map<Operation, Long> templates(Map<Operation, Long> templates) {
        Map<Operation, Long> copy = new EnumMap<>(Operation.class);
        copy.putAll(Objects.requireNonNull(templates, "jobTemplates"));
        return Collections.unmodifiableMap(copy);
    }

    static Map<Operation, Map<DeploymentMode, Long>> overrides(Map<Operation, Map<DeploymentMode, Long>> overrides) {
        Map<Operation, Map<DeploymentMode, Long>> copy = new EnumMap<>(Operation.class);
        Objects.requireNonNull(overrides, "jobTemplateOverrides").forEach((op, byMode) -> {
            Map<DeploymentMode, Long> modes = new EnumMap<>(DeploymentMode.class);
            modes.putAll(byMode);
            copy.put(op, Collections.unmodifiableMap(modes));
        });
        return Collections.unmodifiableMap(copy);
    }

    static void checkTrust(@Nullable SSLSocketFactory socketFactory, @Nullable X509TrustManager trustManager,
            boolean insecureSkipTlsVerify) {
        if ((socketFactory == null) != (trustManager == null)) {
            throw new IllegalArgumentException("trustMaterial needs both an SSLSocketFactory and its X509TrustManager");
        }
        if (insecureSkipTlsVerify && socketFactory != null) {
            throw new IllegalArgumentException(
                    "insecureSkipTlsVerify and trustMaterial exclude each other: trust the AWX certificate instead");
        }
    }

    static void checkMaxRetries(int maxRetries) {
        if (maxRetries < 0 || maxRetries > 10) {
            throw new IllegalArgumentException("maxRetries must be between 0 and 10, was " + maxRetries);
        }
    }

    static void checkPollBatchSize(int pollBatchSize) {
        if (pollBatchSize < 1 || pollBatchSize > AwxConfig.DEFAULT_POLL_BATCH_SIZE) {
            throw new IllegalArgumentException("pollBatchSize must be between 1 and "
                    + AwxConfig.DEFAULT_POLL_BATCH_SIZE + " (AWX caps page_size at 200), was " + pollBatchSize);
        }
    }

    static void checkMaxDetailLength(int maxDetailLength) {
        if (maxDetailLength < 80) {
            throw new IllegalArgumentException("maxDetailLength must be at least 80, was " + maxDetailLength);
        }
    }

    static long positiveId(long id, String field) {
        if (id <= 0) {
            throw new IllegalArgumentException(field + " must be a positive AWX id, was " + id);
        }
        return id;
    }
}
