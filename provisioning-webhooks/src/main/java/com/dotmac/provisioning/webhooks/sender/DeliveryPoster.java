package com.dotmac.provisioning.webhooks.sender;

import com.dotmac.provisioning.events.ProvisioningEvent;
import com.dotmac.provisioning.retry.RetryAfter;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Posts one event to one subscription, signed, and says what came of it: delivered (2xx), worth retrying (5xx, 408,
 * 429, timeouts, connection errors; with the receiver's {@code Retry-After} when it sent one) or final (any other
 * status: a receiver that refuses the payload will not change its mind). Errors are short and secret-free. Stateless
 * apart from its collaborators; thread-safe.
 */
final class DeliveryPoster {
    /** What came of one post. */
    enum Kind { DELIVERED, RETRY, FINAL }

    /**
     * @param kind what came of it
     * @param error short and secret-free ({@code HTTP 503}, {@code timeout}); null when delivered
     * @param retryAfter the receiver's {@code Retry-After}, when it sent a readable one
     */
    record Outcome(Kind kind, @Nullable String error, @Nullable Duration retryAfter) {
    }

    private final HttpClient http;
    private final CloudEventsFormat format;
    private final Duration requestTimeout;
    private final Clock clock;

    DeliveryPoster(HttpClient http, CloudEventsFormat format, Duration requestTimeout, Clock clock) {
        this.http = http;
        this.format = format;
        this.requestTimeout = requestTimeout;
        this.clock = clock;
    }

    Outcome post(WebhookSubscription subscription, ProvisioningEvent event) {
        String body = format.write(event);
        long timestamp = clock.instant().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(subscription.url())
                .timeout(requestTimeout)
                .header("Content-Type", CloudEventsFormat.CONTENT_TYPE)
                .header(WebhookSignature.ID_HEADER, event.id())
                .header(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp))
                .header(WebhookSignature.SIGNATURE_HEADER,
                        WebhookSignature.sign(subscription.secret(), timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        try {
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            return classify(response.statusCode(), response.headers().firstValue("Retry-After").orElse(null));
        } catch (HttpTimeoutException e) {
            return new Outcome(Kind.RETRY, "timeout", null);
        } catch (ConnectException e) {
            return new Outcome(Kind.RETRY, "connection refused", null);
        } catch (IOException e) {
            return new Outcome(Kind.RETRY, "connection error (" + e.getClass().getSimpleName() + ")", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(Kind.RETRY, "interrupted", null);
        }
    }

    Outcome classify(int status, @Nullable String retryAfterHeader) {
        if (status >= 200 && status < 300) {
            return new Outcome(Kind.DELIVERED, null, null);
        }
        String error = "HTTP " + status;
        if (status >= 500 || status == 429 || status == 408) {
            return new Outcome(Kind.RETRY, error, RetryAfter.parse(retryAfterHeader, clock));
        }
        return new Outcome(Kind.FINAL, error, null);
    }

}
