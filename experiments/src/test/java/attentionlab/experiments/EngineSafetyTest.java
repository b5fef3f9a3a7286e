package attentionlab.experiments;

import attentionlab.models.EngineSafetyRule;
import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The code that builds or steps the training graph keeps to {@link EngineSafetyRule} (the rule is shown
 * to catch a planted call in the models module's EngineSafetyTest).
 */
class EngineSafetyTest {

    @Test
    void trainingCodeNeverCallsANumberOverload() {
        // AdamOptimizer is exempt: it runs after the gradient collector has closed, so no graph records its
        // constants (and a Scalars copy per constant per parameter per step would cost for nothing).
        EngineSafetyRule.noNumberOverloadsIn("attentionlab.experiments.train..", "attentionlab.experiments.model..")
                .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("attentionlab.experiments")
                        .that(DescribedPredicate.not(JavaClass.Predicates.simpleName("AdamOptimizer"))));
    }
}
