package com.dotmac.provisioning.spring.web.dto;

import java.util.List;

/**
 * A page of webhook dead letters, oldest first.
 *
 * @param items the dead letters of this page
 * @param total how many there are (of the subscription asked for, or all)
 * @param page the page number, from 1
 * @param pageSize the page's size
 */
public record WebhookDeliveryPageResponse(List<WebhookDeliveryResponse> items, long total, long page, long pageSize)
        implements ApiBody {
}
