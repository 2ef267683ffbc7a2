package com.dotmac.provisioning.console.internal;

import java.util.Objects;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Serves the console's CSS and script from the jar, under {@code <base>/assets/} (behind the host's security like
 * the pages). Nothing is loaded from anywhere else. Thread-safe.
 */
final class ConsoleAssets implements WebMvcConfigurer {
    /** Where the assets are in the jar. */
    public static final String LOCATION = "classpath:/META-INF/provisioning-console/assets/";

    private final ConsoleSettings settings;

    /** @param settings the console's settings */
    ConsoleAssets(ConsoleSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler(settings.base() + "/assets/**").addResourceLocations(LOCATION)
                .setCachePeriod(3600);
    }
}
