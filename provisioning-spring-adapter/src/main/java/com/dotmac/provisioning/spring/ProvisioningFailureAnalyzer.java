package com.dotmac.provisioning.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a {@link ProvisioningConfigurationException} into Spring Boot's "APPLICATION FAILED TO START" report. */
public final class ProvisioningFailureAnalyzer extends AbstractFailureAnalyzer<ProvisioningConfigurationException> {
    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ProvisioningConfigurationException cause) {
        return new FailureAnalysis("Tenant provisioning: " + cause.getMessage(), cause.action(), cause);
    }
}
