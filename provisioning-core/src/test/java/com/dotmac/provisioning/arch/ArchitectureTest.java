package com.dotmac.provisioning.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.dotmac.provisioning.TenantProvisioner;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The core depends on nothing but the JDK, slf4j and jspecify, and its packages form no cycles. */
class ArchitectureTest {
    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("com.dotmac.provisioning");

    @Test
    void theCoreDependsOnlyOnTheJdkSlf4jAndJspecify() {
        classes().should().onlyDependOnClassesThat().resideInAnyPackage("com.dotmac.provisioning..", "java..",
                "javax.crypto..", "org.slf4j..", "org.jspecify..")
                .check(CORE);
    }

    @Test
    void theCoreUsesNoFrameworkHttpJsonOrJdbcLibrary() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "okhttp3..",
                "com.fasterxml.jackson..", "tools.jackson..", "java.sql..", "javax.sql..")
                .check(CORE);
    }

    @Test
    void subpackagesHaveNoCycles() {
        slices().matching("com.dotmac.provisioning.(**)").should().beFreeOfCycles().check(CORE);
    }

    @Test
    void onlyTheFacadeUsesTheEngineInternals() {
        noClasses().that().resideOutsideOfPackages("com.dotmac.provisioning.internal..")
                .and().doNotBelongToAnyOf(TenantProvisioner.class)
                .should().dependOnClassesThat().resideInAPackage("com.dotmac.provisioning.internal.engine..")
                .check(CORE);
    }
}
