package attentionlab.models;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The models module's packages point one way (docs/design.md): each may import only the packages
 * before it in {@link #LAYERS}, and no package cycle exists. The same rules run over planted fixtures
 * ({@code archfixture}) that break them, so the check is shown to fail when a layer points the wrong way.
 */
class ArchitectureTest {

    /** Bottom to top. */
    static final List<String> LAYERS = List.of("kernel", "attention", "stack", "decode", "reference");

    /** Each layer may be used only by the layers above it. */
    static ArchRule layered(String root, List<String> layers) {
        LayeredArchitecture rule = layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (String layer : layers) {
            rule = rule.layer(layer).definedBy(root + "." + layer + "..");
        }
        for (int i = 0; i < layers.size(); i++) {
            List<String> above = layers.subList(i + 1, layers.size());
            rule = above.isEmpty()
                    ? rule.whereLayer(layers.get(i)).mayNotBeAccessedByAnyLayer()
                    : rule.whereLayer(layers.get(i)).mayOnlyBeAccessedByLayers(above.toArray(String[]::new));
        }
        return rule;
    }

    static ArchRule acyclic(String root) {
        return slices().matching(root + ".(*)..").should().beFreeOfCycles();
    }

    static JavaClasses main() {
        return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("attentionlab.models");
    }

    @Test
    void layersPointOneWay() {
        layered("attentionlab.models", LAYERS).check(main());
    }

    @Test
    void noPackageCycles() {
        acyclic("attentionlab.models").check(main());
    }

    /** archfixture.kernel imports archfixture.attention: upwards, and a cycle with attention's import back. */
    @Test
    void theRulesCatchAPlantedUpwardImportAndCycle() {
        JavaClasses fixture = new ClassFileImporter().importPackages("attentionlab.models.archfixture");
        assertThat(layered("attentionlab.models.archfixture", LAYERS).evaluate(fixture).hasViolation()).isTrue();
        assertThat(acyclic("attentionlab.models.archfixture").evaluate(fixture).hasViolation()).isTrue();
    }
}
