package com.dotmac.provisioning.webhooks.sender;

/**
 * A webhook request that {@link WebhookSignatureVerifier} refused; the message says why (never the secret or the
 * expected signature). A receiver answers it with 401 or 400: the sender treats 4xx other than 408 and 429 as final.
 */
public final class InvalidWebhookSignatureException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param reason why the request was refused */
    public InvalidWebhookSignatureException(String reason) {
        super(reason);
    }
}
