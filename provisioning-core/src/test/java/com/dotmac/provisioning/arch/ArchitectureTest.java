package com.dotmac.provisioning.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.dotmac.provisioning.TenantProvisioner;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
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

    /**
     * The root package takes part too: the facade ({@code TenantProvisioner} and its build parts) is a slice of its
     * own, the API values and the shared {@code rules} they validate themselves with (which build the API's
     * {@code FieldError} and {@code InvalidRequestException}) are one slice, every subpackage is one.
     */
    @Test
    void theRootPackageAndTheSubpackagesHaveNoCycles() {
        slices().assignedFrom(new CoreLayers()).should().beFreeOfCycles().check(CORE);
    }

    /** Assigns each core class to its slice: facade, API, or its first subpackage. */
    private static final class CoreLayers implements SliceAssignment {
        private static final String ROOT = "com.dotmac.provisioning";

        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            String pkg = javaClass.getPackageName();
            if (!pkg.equals(ROOT) && !pkg.startsWith(ROOT + ".")) {
                return SliceIdentifier.ignore();
            }
            if (pkg.equals(ROOT)) {
                String top = javaClass.getName().substring(ROOT.length() + 1).split("\\$")[0];
                boolean facade = top.equals(TenantProvisioner.class.getSimpleName()) || top.equals("ProvisionerParts")
                        || top.equals("ProvisionerRollouts");
                return SliceIdentifier.of(facade ? "facade" : "api");
            }
            String first = pkg.substring(ROOT.length() + 1).split("\\.")[0];
            return SliceIdentifier.of(first.equals("rules") ? "api" : first);
        }

        @Override
        public String getDescription() {
            return "the core's facade, API and subpackages";
        }
    }

    @Test
    void subpackagesHaveNoCycles() {
        slices().matching("com.dotmac.provisioning.(**)").should().beFreeOfCycles().check(CORE);
    }

    @Test
    void onlyTheFacadeUsesTheEngineInternals() {
        noClasses().that().resideOutsideOfPackages("com.dotmac.provisioning.internal..")
                .and().doNotBelongToAnyOf(TenantProvisioner.class)
                .and().doNotHaveSimpleName("ProvisionerParts")
                .and().doNotHaveSimpleName("ProvisionerRollouts")
                .should().dependOnClassesThat().resideInAPackage("com.dotmac.provisioning.internal.engine..")
                .check(CORE);
    }
}
