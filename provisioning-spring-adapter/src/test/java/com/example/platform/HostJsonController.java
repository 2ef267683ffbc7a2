package com.example.platform;

import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * One of the host's own endpoints, with the host's JSON conventions (camelCase, unknown properties ignored, as
 * Spring Boot configures Jackson): the provisioning API's stricter snake_case mapper must not apply here.
 */
@RestController
public class HostJsonController {
    /**
     * A host value.
     *
     * @param tenantName a camelCase component
     * @param note may be null
     */
    public record HostView(@Nullable String tenantName, @Nullable String note) {
    }

    /**
     * @param view what was sent
     * @return the same value, as the host writes it
     */
    @PostMapping("/host/echo")
    public HostView echo(@RequestBody HostView view) {
        return view;
    }
}
