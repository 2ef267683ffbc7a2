package com.dotmac.provisioning.internal.engine;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Derives and checks per-job callback tokens: HMAC-SHA256 of the job id under the server secret, URL-safe Base64.
 * Tokens are never stored; they are valid for one job only. Thread-safe.
 */
public final class CallbackTokens {
    private static final String ALGORITHM = "HmacSHA256";
    private static final String CONTEXT = "tenant-provisioning-callback:v1:";

    private final SecretKeySpec key;

    /** @param secret the server secret (copied) */
    public CallbackTokens(byte[] secret) {
        this.key = new SecretKeySpec(secret.clone(), ALGORITHM);
    }

    /**
     * @param jobId a job
     * @return its callback token
     */
    public String tokenFor(String jobId) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(mac(jobId));
    }

    /**
     * Compares in constant time.
     *
     * @param jobId the job the caller names
     * @param token the token the caller presents, or null
     * @return whether the token is the job's
     */
    public boolean isValid(String jobId, @Nullable String token) {
        if (token == null || token.isEmpty() || token.length() > 128) {
            return false;
        }
        byte[] expected = tokenFor(jobId).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, token.getBytes(StandardCharsets.US_ASCII));
    }

    private byte[] mac(String jobId) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal((CONTEXT + jobId).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    @Override
    public String toString() {
        return "CallbackTokens[****]";
    }
}
