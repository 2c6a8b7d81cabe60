package io.storefrontsync.worker;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The boundaries of the sync-worker, checked on its compiled main classes: the services talk over HTTP and the
 * database contract in {@code common}, never through each other's classes; main code never depends on the sandbox
 * (tests do); an HTTP resource delegates storage to services and repositories and never holds a database client or
 * the S3 client itself.
 */
class ArchitectureTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.storefrontsync.worker");

    @Test
    void neverImportsTheOtherService() {
        noClasses().should().dependOnClassesThat().resideInAPackage("io.storefrontsync.gateway..")
                .because("the services share only common (the event contract, the JWT contract) and HTTP")
                .check(MAIN);
    }

    @Test
    void mainCodeNeverImportsTheSandbox() {
        noClasses().should().dependOnClassesThat().resideInAPackage("io.storefrontsync.sandbox..")
                .because("the simulators and test harnesses are for tests and run.sh, not for production")
                .check(MAIN);
    }

    @Test
    void resourcesNeverTouchTheDatabaseOrSpacesDirectly() {
        noClasses().that().haveSimpleNameEndingWith("Resource")
                .should().dependOnClassesThat().resideInAnyPackage("io.vertx.mutiny.sqlclient..", "io.vertx.sqlclient..",
                        "io.vertx.mutiny.pgclient..", "io.vertx.pgclient..", "org.hibernate..",
                        "software.amazon.awssdk.services.s3..")
                .because("a resource parses, checks and answers; storage belongs to the class that owns the table or the bucket")
                .check(MAIN);
    }
}
