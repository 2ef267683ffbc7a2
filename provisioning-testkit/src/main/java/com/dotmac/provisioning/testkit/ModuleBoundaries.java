package com.dotmac.provisioning.testkit;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

/**
 * ArchUnit rules that keep the library's {@code internal} packages internal: each module of this repository checks
 * its main code with {@link #noOtherModulesInternals(String)}, and a host can check its own code with
 * {@link #libraryInternalsUnused(String)}.
 *
 * <p>Needs {@code com.tngtech.archunit:archunit} on the test class path (an optional dependency of the testkit).
 * Stateless and thread-safe.
 */
public final class ModuleBoundaries {
    /** The root package of every module of this library. */
    public static final String LIBRARY_PACKAGE = "com.dotmac.provisioning";

    private ModuleBoundaries() {
    }

    /**
     * The rule a module of this repository checks: its classes may use their own {@code internal} packages, never
     * another module's.
     *
     * @param modulePackage the module's root package, e.g. {@code com.dotmac.provisioning.awx}
     * @return the rule, to {@code check} against {@link #mainClassesOf(String)}
     */
    public static ArchRule noOtherModulesInternals(String modulePackage) {
        DescribedPredicate<JavaClass> othersInternals = resideInAPackage("..internal..")
                .and(DescribedPredicate.not(resideInAPackage(modulePackage + "..")));
        return noClasses().that().resideInAPackage(modulePackage + "..")
                .should().dependOnClassesThat(othersInternals.as("reside in another module's internal package"))
                .because("internal packages are not API: a module uses its own, and the shared rules live in "
                        + LIBRARY_PACKAGE + ".rules");
    }

    /**
     * The rule a host checks: its code uses none of this library's {@code internal} packages, which may change in
     * any release.
     *
     * @param hostPackage the host's root package, e.g. {@code com.example.platform}
     * @return the rule, to {@code check} against the host's classes
     */
    public static ArchRule libraryInternalsUnused(String hostPackage) {
        return noClasses().that().resideInAPackage(hostPackage + "..")
                .should().dependOnClassesThat().resideInAPackage(LIBRARY_PACKAGE + "..internal..")
                .because("the library's internal packages are not API and may change in any release");
    }

    /**
     * Checks {@link #noOtherModulesInternals(String)} against the module's main classes; what each module of this
     * repository runs in its {@code ModuleBoundariesTest}.
     *
     * @param modulePackage the module's root package
     * @throws AssertionError naming every offending dependency, or when no class of the package is found
     */
    public static void checkModule(String modulePackage) {
        noOtherModulesInternals(modulePackage).check(mainClassesOf(modulePackage));
    }

    /**
     * The main (non-test) classes of a package and its subpackages on the class path.
     *
     * @param rootPackage the package to import
     * @return the imported classes
     */
    public static JavaClasses mainClassesOf(String rootPackage) {
        return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages(rootPackage);
    }
}
