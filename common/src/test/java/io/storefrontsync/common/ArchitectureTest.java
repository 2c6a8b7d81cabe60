package io.storefrontsync.common;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * {@code common} is the contract both services share: plain Java, Jackson and MicroProfile Config SPI only. It must not
 * know either service, the sandbox, or a Quarkus/Vert.x runtime, so either service (or a third) can take it as it is.
 */
class ArchitectureTest {

    private static final JavaClasses COMMON = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.storefrontsync.common");

    @Test
    void commonImportsNoService() {
        noClasses().should().dependOnClassesThat()
                .resideInAnyPackage("io.storefrontsync.gateway..", "io.storefrontsync.worker..", "io.storefrontsync.sandbox..")
                .because("common is the contract both services depend on, never the other way round")
                .check(COMMON);
    }

    @Test
    void commonImportsNoQuarkusRuntime() {
        noClasses().should().dependOnClassesThat()
                .resideInAnyPackage("io.quarkus..", "io.vertx..", "io.smallrye.mutiny..", "jakarta.ws.rs..",
                        "jakarta.enterprise..", "jakarta.inject..", "org.hibernate..", "software.amazon..")
                .because("common is a plain library, usable and testable without a running application")
                .check(COMMON);
    }
}
