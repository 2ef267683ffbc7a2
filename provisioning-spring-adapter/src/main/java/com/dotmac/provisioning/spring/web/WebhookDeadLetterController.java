package com.dotmac.provisioning.spring.web;

import com.dotmac.provisioning.rules.FieldErrors;
import com.dotmac.provisioning.spring.web.dto.WebhookDeliveryPageResponse;
import com.dotmac.provisioning.spring.web.dto.WebhookDeliveryResponse;
import com.dotmac.provisioning.webhooks.sender.Webhooks;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Webhook dead letters (README "Webhooks"), under {@code provisioning.web.base-path} (default {@code /api/v1}): list
 * them, and redeliver one (it goes back to its place in its subscription's queue, due now, its attempts reset). Both
 * are fleet-wide: authorised for {@link ProvisioningAccessPolicy#FLEET} ({@link ApiAction#READ_WEBHOOKS} needs the
 * read authority, {@link ApiAction#REDELIVER_WEBHOOKS} the write authority). Never shows a secret or a payload's
 * signature. Thread-safe.
 */
@RestController
@RequestMapping("${provisioning.web.base-path:" + ProvisioningController.DEFAULT_BASE_PATH
        + "}/provisioning/webhooks/dead-letters")
public class WebhookDeadLetterController {
    private static final int DEFAULT_PAGE_SIZE = 20;
    private static final int MAX_PAGE_SIZE = 100;

    private final Webhooks webhooks;
    private final ProvisioningAccessPolicy access;

    /**
     * @param webhooks the webhooks whose dead letters to serve
     * @param access who may read and redeliver
     */
    public WebhookDeadLetterController(Webhooks webhooks, ProvisioningAccessPolicy access) {
        this.webhooks = webhooks;
        this.access = access;
    }

    /**
     * {@code GET .../webhooks/dead-letters?subscription=&page=&page_size=}: oldest first.
     *
     * @param subscription only this subscription's (default all)
     * @param page the page, from 1 (default 1)
     * @param pageSize the page's size, 1 to 100 (default 20)
     * @return the page with the total
     * @throws com.dotmac.provisioning.InvalidRequestException naming a bad parameter (400)
     */
    @GetMapping
    public WebhookDeliveryPageResponse list(
            @RequestParam(name = "subscription", required = false) @Nullable String subscription,
            @RequestParam(name = "page", required = false) @Nullable String page,
            @RequestParam(name = "page_size", required = false) @Nullable String pageSize) {
        access.authorize(ApiAction.READ_WEBHOOKS, ProvisioningAccessPolicy.FLEET);
        FieldErrors errors = new FieldErrors();
        int p = intParam("page", page, 1, 1, Integer.MAX_VALUE, errors);
        int size = intParam("page_size", pageSize, DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE, errors);
        errors.throwIfAny();
        String only = subscription == null || subscription.isBlank() ? null : subscription.trim();
        long total = webhooks.store().countDeadLetters(only);
        long offset = (long) (p - 1) * size;
        var items = offset >= total ? java.util.List.<WebhookDeliveryResponse>of()
                : webhooks.deadLetters(only, (int) offset, size).stream().map(WebhookDeliveryResponse::of).toList();
        return new WebhookDeliveryPageResponse(items, total, p, size);
    }

    /**
     * {@code POST .../webhooks/dead-letters/{id}/redeliver}: 200 with the delivery, pending again and due now.
     *
     * @param id the dead letter's id
     * @return the delivery as it is now
     * @throws DeadLetterNotFoundException when no dead letter has that id (404)
     */
    @PostMapping("/{id}/redeliver")
    public WebhookDeliveryResponse redeliver(@PathVariable("id") String id) {
        access.authorize(ApiAction.REDELIVER_WEBHOOKS, ProvisioningAccessPolicy.FLEET);
        return webhooks.redeliver(id).map(WebhookDeliveryResponse::of)
                .orElseThrow(() -> new DeadLetterNotFoundException(id));
    }

    private static int intParam(String name, @Nullable String value, int fallback, int min, int max,
            FieldErrors errors) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n < min || n > max) {
                errors.add(name, "must be between " + min + " and " + max);
                return fallback;
            }
            return n;
        } catch (NumberFormatException e) {
            errors.add(name, "must be an integer");
            return fallback;
        }
    }
}
