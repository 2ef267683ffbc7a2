package com.dotmac.provisioning.testkit;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dotmac.provisioning.testkit.leaky.LeakyAdapter;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

/** The boundary rules fail on a class that reaches into another module's internal package. */
class ModuleBoundariesRulesTest {
    private static final JavaClasses LEAKY = new ClassFileImporter().importClasses(LeakyAdapter.class);

    @Test
    void aModuleUsingTheCoresInternalPackageBreaksTheModuleRule() {
        assertThatThrownBy(() -> ModuleBoundaries.noOtherModulesInternals("com.dotmac.provisioning.testkit.leaky")
                .check(LEAKY))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("another module's internal package")
                .hasMessageContaining("com.dotmac.provisioning.internal.engine.JobCommands");
    }

    @Test
    void aHostUsingTheLibrarysInternalPackageBreaksTheHostRule() {
        assertThatThrownBy(() -> ModuleBoundaries.libraryInternalsUnused("com.dotmac.provisioning.testkit.leaky")
                .check(LEAKY))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("com.dotmac.provisioning.internal.engine.JobCommands");
    }

    @Test
    void aModuleMayUseItsOwnInternalPackage() {
        // seen from the core's root package, com.dotmac.provisioning.internal is the module's own
        assertThatCode(() -> ModuleBoundaries.noOtherModulesInternals("com.dotmac.provisioning").check(LEAKY))
                .doesNotThrowAnyException();
    }

    @Test
    void aPackageWithoutClassesFailsInsteadOfPassingUnchecked() {
        assertThatThrownBy(() -> ModuleBoundaries.checkModule("com.dotmac.provisioning.nosuchmodule"))
                .isInstanceOf(AssertionError.class);
    }
}
