package com.dotmac.provisioning.spring.web.dto;

import org.jspecify.annotations.Nullable;

/**
 * The optional body of {@code POST .../{job_id}/cancel}.
 *
 * @param reason why the job is cancelled, shown in its error message; may be null
 */
public record CancelRequestBody(@Nullable String reason) implements ApiBody {
}
