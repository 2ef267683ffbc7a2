package com.dotmac.provisioning.opentelemetry;

import com.dotmac.provisioning.testkit.ModuleBoundaries;
import org.junit.jupiter.api.Test;

/** This module's main code uses no other module's {@code internal} package. */
class ModuleBoundariesTest {
    @Test
    void usesNoOtherModulesInternalPackage() {
        ModuleBoundaries.checkModule("com.dotmac.provisioning.opentelemetry");
    }
}
