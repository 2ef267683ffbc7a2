package com.dotmac.provisioning.webhooks.sender;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature recipe, shared by the sender and {@link WebhookSignatureVerifier}: the header
 * {@value #SIGNATURE_HEADER} is {@code v1=} followed by the lower case hex HMAC-SHA256, keyed with the subscription's
 * secret (its UTF-8 bytes), of the {@value #TIMESTAMP_HEADER} value (unix seconds), a {@code .}, and the request
 * body exactly as sent. {@value #ID_HEADER} carries the event id. Stateless and thread-safe.
 */
public final class WebhookSignature {
    /** The event id header. */
    public static final String ID_HEADER = "Webhook-Id";
    /** The unix seconds header (what the signature covers, with the body). */
    public static final String TIMESTAMP_HEADER = "Webhook-Timestamp";
    /** The signature header: {@code v1=<hex>} (several, separated by spaces, while a secret is rotated). */
    public static final String SIGNATURE_HEADER = "Webhook-Signature";
    /** The scheme prefix of a signature. */
    public static final String SCHEME = "v1=";

    private WebhookSignature() {
    }

    /**
     * @param secret the subscription's secret, as UTF-8 bytes
     * @param timestamp the {@value #TIMESTAMP_HEADER} value
     * @param body the body as sent
     * @return {@code v1=<lower case hex HMAC-SHA256(secret, timestamp + "." + body)>}
     */
    public static String sign(byte[] secret, long timestamp, String body) {
        return SCHEME + HexFormat.of().formatHex(mac(secret, timestamp + "." + body));
    }

    /** @return the raw HMAC-SHA256 of the text with the secret */
    static byte[] mac(byte[] secret, String signed) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(signed.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
