package com.dotmac.provisioning.spring.web;

import org.springframework.http.converter.HttpMessageConverters;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Registers the API's {@link ApiJsonConverter} with Spring MVC, ahead of the host's converters. It handles the API's
 * own body types only, so the host's other endpoints are unaffected. Thread-safe.
 */
public final class ProvisioningWebMvcConfigurer implements WebMvcConfigurer {
    private final ApiJsonConverter converter;

    /** @param converter the API's converter */
    public ProvisioningWebMvcConfigurer(ApiJsonConverter converter) {
        this.converter = converter;
    }

    /** Adds the API's converter as a custom converter (these come before the defaults). */
    @Override
    public void configureMessageConverters(HttpMessageConverters.ServerBuilder builder) {
        builder.addCustomConverter(converter);
    }
}
