package attentionlab.experiments.claims;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import attentionlab.experiments.compare.RunLoader;
import attentionlab.experiments.compare.RunRecord;
import attentionlab.experiments.io.Json;
import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.io.FileInputStream;
import java.io.FileReader;
import java.io.RandomAccessFile;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What the report promises, "every verdict is computed from measurements taken in this invocation", as
 * a rule on the code: no class of the claims package opens a file or loads a run, except
 * {@link Training}, which loads only the runs it has just trained into the report directory (the
 * report package reads the figures this invocation drew, to embed them). The rule is shown to catch a
 * planted claim that reads a number from a file and one that loads a run found on disk.
 */
class ClaimsMeasureInThisInvocationTest {

    private static final Set<String> FILE_READERS = Set.of("readString", "readAllLines", "readAllBytes", "lines", "newBufferedReader",
            "newInputStream", "newByteChannel", "list", "walk", "find", "newDirectoryStream");
    private static final Set<String> READER_CLASSES = Set.of(FileInputStream.class.getName(), FileReader.class.getName(),
            RandomAccessFile.class.getName(), RunLoader.class.getName());

    static final DescribedPredicate<JavaAccess<?>> READS_A_FILE = new DescribedPredicate<>("open a file or load a run") {
        @Override
        public boolean test(JavaAccess<?> access) {
            String owner = access.getTargetOwner().getName();
            String name = access.getName();
            return owner.equals("java.nio.file.Files") && FILE_READERS.contains(name)
                    || READER_CLASSES.contains(owner)
                    || owner.equals(RunRecord.class.getName()) && name.equals("load")
                    || owner.equals(Json.class.getName()) && name.equals("read");
        }
    };

    static ArchRule readsNothingOld(String claimsPackage) {
        return noClasses().that().resideInAPackage(claimsPackage + "..").and().resideOutsideOfPackage(claimsPackage + ".report..")
                .and(DescribedPredicate.not(JavaClass.Predicates.simpleName("Training")))
                .should().accessTargetWhere(READS_A_FILE)
                .because("a verdict is computed from measurements taken in this invocation (Training reads the runs it trains)");
    }

    @Test
    void noClaimReadsAFileOrAnEarlierRun() {
        JavaClasses main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("attentionlab.experiments");
        readsNothingOld("attentionlab.experiments.claims").check(main);
    }

    @Test
    void theRuleCatchesPlantedReads() {
        JavaClasses fixture = new ClassFileImporter().importPackages("attentionlab.experiments.readfixture");
        var result = readsNothingOld("attentionlab.experiments.readfixture.claims").evaluate(fixture);
        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().getDetails()).anyMatch(d -> d.contains("ReadsAFile") && d.contains("Files.readString"))
                .anyMatch(d -> d.contains("ReadsAnEarlierRun") && d.contains("RunRecord.load"));
    }
}
