package com.dotmac.provisioning;

import java.util.Arrays;
import java.util.Objects;

/**
 * Where playbooks report back, and the secret that signs each job's callback token (README "REST API" and
 * docs/SECURITY.md). The token
 * is an HMAC-SHA256 of the job id under {@link #secret()}: it is never stored, and it is valid for one job only.
 * {@link #toString()} never shows the secret.
 *
 * @param urlTemplate the callback URL with the placeholders {@code {tenant_id}} and {@code {job_id}}, e.g.
 *     {@code https://platform.example.com/api/v1/tenants/{tenant_id}/provisioning/jobs/{job_id}/callback}
 * @param secret the signing secret, at least 32 bytes
 */
public record CallbackSettings(String urlTemplate, byte[] secret) {
    /** Fewest secret bytes accepted. */
    public static final int MIN_SECRET_BYTES = 32;
    /** Most callbacks one job accepts; later ones are refused (409). A run sends one, retried on transport errors. */
    public static final int MAX_REPORTS_PER_JOB = 10;
    /** Largest JSON form of a job's artifacts, all reports together, in characters; beyond it a report gets 413. */
    public static final int MAX_ARTIFACTS_LENGTH = 64 * 1024;
    /** Most refused callbacks recorded on one job's timeline; later refusals are only logged. */
    public static final int MAX_REFUSALS_RECORDED = 10;

    /**
     * Validates and copies the secret.
     *
     * @throws IllegalArgumentException when the template lacks {@code {job_id}}, is not http(s), or the secret is
     *     too short
     */
    public CallbackSettings {
        Objects.requireNonNull(urlTemplate, "urlTemplate");
        Objects.requireNonNull(secret, "secret");
        if (!urlTemplate.startsWith("https://") && !urlTemplate.startsWith("http://")) {
            throw new IllegalArgumentException("the callback URL must start with https:// or http://");
        }
        if (!urlTemplate.contains("{job_id}")) {
            throw new IllegalArgumentException("the callback URL must contain the placeholder {job_id}");
        }
        if (secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("the callback secret must be at least " + MIN_SECRET_BYTES + " bytes");
        }
        secret = secret.clone();
    }

    /** @return a copy of the secret */
    @Override
    public byte[] secret() {
        return secret.clone();
    }

    /**
     * @param tenantId the tenant
     * @param jobId the job
     * @return the job's callback URL
     */
    public String urlFor(String tenantId, String jobId) {
        return urlTemplate.replace("{tenant_id}", tenantId).replace("{job_id}", jobId);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CallbackSettings c && c.urlTemplate.equals(urlTemplate)
                && Arrays.equals(c.secret, secret);
    }

    @Override
    public int hashCode() {
        return urlTemplate.hashCode();
    }

    @Override
    public String toString() {
        return "CallbackSettings[urlTemplate=" + urlTemplate + ", secret=****]";
    }
}
