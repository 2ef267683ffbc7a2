package com.dotmac.provisioning.webhooks.sender;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Checks a webhook request on the receiver's side (for receivers written in Java): the {@code Webhook-Signature}
 * must match the recipe of {@link WebhookSignature} over the {@code Webhook-Timestamp} and the raw body, compared in
 * constant time, and the timestamp must be within the tolerance (default {@link #DEFAULT_TOLERANCE}) of the
 * receiver's clock, so a captured request cannot be replayed later. Deduplicate accepted requests by
 * {@code Webhook-Id} (the event id): delivery is at least once.
 *
 * <pre>{@code
 * WebhookSignatureVerifier verifier = new WebhookSignatureVerifier(secret.getBytes(UTF_8));
 * verifier.verify(request.header("Webhook-Timestamp"), request.header("Webhook-Signature"), rawBody);
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class WebhookSignatureVerifier {
    /** The default tolerance between the request's timestamp and the receiver's clock: 5 minutes. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private final byte[] secret;
    private final Duration tolerance;
    private final Clock clock;

    /**
     * A verifier with the default tolerance and the system clock.
     *
     * @param secret the subscription's secret as UTF-8 bytes (copied)
     */
    public WebhookSignatureVerifier(byte[] secret) {
        this(secret, DEFAULT_TOLERANCE, Clock.systemUTC());
    }

    /**
     * @param secret the subscription's secret as UTF-8 bytes (copied)
     * @param tolerance how far the timestamp may be from the clock, either way; positive
     * @param clock the receiver's clock
     * @throws IllegalArgumentException when the secret is empty or the tolerance not positive
     */
    public WebhookSignatureVerifier(byte[] secret, Duration tolerance, Clock clock) {
        Objects.requireNonNull(secret, "secret");
        if (secret.length == 0) {
            throw new IllegalArgumentException("secret: must not be empty");
        }
        if (tolerance.isNegative() || tolerance.isZero()) {
            throw new IllegalArgumentException("tolerance: must be positive, was " + tolerance);
        }
        this.secret = secret.clone();
        this.tolerance = tolerance;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Verifies a request.
     *
     * @param timestampHeader the {@code Webhook-Timestamp} header
     * @param signatureHeader the {@code Webhook-Signature} header: one or more {@code v1=<hex>}, separated by
     *     spaces or commas (any one matching is enough, for secret rotation)
     * @param body the raw body, exactly as received (before any JSON parsing)
     * @throws InvalidWebhookSignatureException saying why: a header is missing or malformed, the timestamp is too old
     *     or in the future, or no signature matches
     */
    public void verify(@Nullable String timestampHeader, @Nullable String signatureHeader, String body) {
        if (timestampHeader == null || timestampHeader.isBlank()) {
            throw new InvalidWebhookSignatureException("missing " + WebhookSignature.TIMESTAMP_HEADER + " header");
        }
        if (signatureHeader == null || signatureHeader.isBlank()) {
            throw new InvalidWebhookSignatureException("missing " + WebhookSignature.SIGNATURE_HEADER + " header");
        }
        long timestamp;
        try {
            timestamp = Long.parseLong(timestampHeader.trim());
        } catch (NumberFormatException e) {
            throw new InvalidWebhookSignatureException(WebhookSignature.TIMESTAMP_HEADER
                    + " is not unix seconds");
        }
        long now = clock.instant().getEpochSecond();
        if (timestamp < now - tolerance.getSeconds()) {
            throw new InvalidWebhookSignatureException("timestamp too old: " + (now - timestamp)
                    + " s before now, more than the tolerance of " + tolerance.getSeconds() + " s");
        }
        if (timestamp > now + tolerance.getSeconds()) {
            throw new InvalidWebhookSignatureException("timestamp in the future: " + (timestamp - now)
                    + " s after now, more than the tolerance of " + tolerance.getSeconds() + " s");
        }
        byte[] expected = WebhookSignature.mac(secret, timestampHeader.trim() + "." + body);
        boolean match = false;
        for (String candidate : signatureHeader.trim().split("[\\s,]+")) {
            if (candidate.startsWith(WebhookSignature.SCHEME)) {
                byte[] given = hex(candidate.substring(WebhookSignature.SCHEME.length()));
                match |= given != null && MessageDigest.isEqual(expected, given);
            }
        }
        if (!match) {
            throw new InvalidWebhookSignatureException("signature does not match the body and timestamp");
        }
    }

    private static byte @Nullable [] hex(String text) {
        try {
            return HexFormat.of().parseHex(text.toLowerCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** @return the tolerance; never the secret */
    @Override
    public String toString() {
        return "WebhookSignatureVerifier[tolerance=" + tolerance + "]";
    }
}
