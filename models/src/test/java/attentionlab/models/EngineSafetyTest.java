package attentionlab.models;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Every class of the models module's main code keeps to {@link EngineSafetyRule}. */
class EngineSafetyTest {

    @Test
    void mainCodeNeverCallsANumberOverload() {
        JavaClasses main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("attentionlab.models");
        EngineSafetyRule.noNumberOverloadsIn("attentionlab.models..").check(main);
    }

    @Test
    void theRuleCatchesAPlantedDivisionByANumber() {
        JavaClasses fixture = new ClassFileImporter().importPackages("attentionlab.models.enginefixture");
        assertThat(EngineSafetyRule.noNumberOverloadsIn("attentionlab.models..").evaluate(fixture).hasViolation()).isTrue();
    }
}
