package dev.contactfunctions;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * How the main code's packages depend on each other: one way, from the functions down to what every invocation
 * shares.
 * <ul>
 * <li><b>functions</b>: {@code leadcapture}, {@code identity} (identify-and-merge), {@code audit};</li>
 * <li><b>startup</b>: {@code snapstart}, which primes whichever function the instance runs;</li>
 * <li><b>shared</b>: {@code intercom} (the one Intercom client, its models and search), {@code webhook},
 * {@code ledger}, {@code deferral}, {@code identifiers} (email rules, pseudonyms);</li>
 * <li><b>invocation</b>: the deadline, AWS clients and their budget, secrets, JSON, the invocation's log, how Lambda
 * initializes the instance; it uses no other package of ours.</li>
 * </ul>
 */
@AnalyzeClasses(packages = "dev.contactfunctions", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageLayersTest {

    @ArchTest
    static final ArchRule noPackageCycle = slices().matching("dev.contactfunctions.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule layers = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("functions").definedBy("dev.contactfunctions.leadcapture..", "dev.contactfunctions.identity..",
                    "dev.contactfunctions.audit..")
            .layer("startup").definedBy("dev.contactfunctions.snapstart..")
            .layer("shared").definedBy("dev.contactfunctions.intercom..", "dev.contactfunctions.webhook..",
                    "dev.contactfunctions.ledger..", "dev.contactfunctions.deferral..",
                    "dev.contactfunctions.identifiers..")
            .layer("invocation").definedBy("dev.contactfunctions.invocation..")
            .whereLayer("functions").mayNotBeAccessedByAnyLayer()
            .whereLayer("startup").mayNotBeAccessedByAnyLayer()
            .whereLayer("shared").mayOnlyBeAccessedByLayers("functions", "startup")
            .whereLayer("invocation").mayOnlyBeAccessedByLayers("functions", "startup", "shared");

    @ArchTest
    static final ArchRule everyClassIsInALayer = classes().should().resideInAnyPackage(
            "dev.contactfunctions.leadcapture..", "dev.contactfunctions.identity..", "dev.contactfunctions.audit..",
            "dev.contactfunctions.snapstart..", "dev.contactfunctions.intercom..", "dev.contactfunctions.webhook..",
            "dev.contactfunctions.ledger..", "dev.contactfunctions.deferral..", "dev.contactfunctions.identifiers..",
            "dev.contactfunctions.invocation..")
            .because("a new package takes its place in the layers");

    /** No function uses another, except the audit, whose fix mode merges duplicates with identify-and-merge's service. */
    @ArchTest
    static final ArchRule leadCaptureStandsApart = noClasses().that().resideInAPackage("dev.contactfunctions.leadcapture..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.contactfunctions.identity..",
                    "dev.contactfunctions.audit..");

    @ArchTest
    static final ArchRule identifyMergeStandsApart = noClasses().that().resideInAPackage("dev.contactfunctions.identity..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.contactfunctions.leadcapture..",
                    "dev.contactfunctions.audit..");

    @ArchTest
    static final ArchRule theAuditUsesNoLeadCapture = noClasses().that().resideInAPackage("dev.contactfunctions.audit..")
            .should().dependOnClassesThat().resideInAPackage("dev.contactfunctions.leadcapture..");
}
