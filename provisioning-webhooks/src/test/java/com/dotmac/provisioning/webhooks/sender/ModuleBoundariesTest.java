package com.dotmac.provisioning.webhooks.sender;

import com.dotmac.provisioning.testkit.ModuleBoundaries;
import org.junit.jupiter.api.Test;

/** This module's main code uses its own {@code internal} packages only, never another module's. */
class ModuleBoundariesTest {
    @Test
    void usesNoOtherModulesInternalPackage() {
        ModuleBoundaries.checkModule("com.dotmac.provisioning.webhooks.sender");
    }
}
