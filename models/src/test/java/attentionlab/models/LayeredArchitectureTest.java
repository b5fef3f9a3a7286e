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
 * A module's packages in layers that point one way: every package directly under {@link #root()} is a
 * layer (its sub-packages belong to it), each may import only the layers before it in {@link #layers()},
 * and no package cycle exists. The same rules run over a planted fixture, {@code <root>.archfixture}, whose
 * bottom layer imports its top one, so the check is shown to fail when a layer points the wrong way.
 * Each module's ArchitectureTest extends this (the experiments module through this module's test jar).
 */
public abstract class LayeredArchitectureTest {

    /** The module's root package. */
    protected abstract String root();

    /** The layers, bottom to top: names of the packages directly under {@link #root()}. */
    protected abstract List<String> layers();

    /** Each layer {@code root.<layer>..} may be used only by the layers after it. */
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

    /** No cycle between the packages directly under {@code root} (each with its sub-packages). */
    static ArchRule acyclic(String root) {
        return slices().matching(root + ".(*)..").should().beFreeOfCycles();
    }

    private JavaClasses mainClasses() {
        return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(root());
    }

    @Test
    void everyPackageIsALayer() {
        assertThat(mainClasses().stream().map(c -> c.getPackageName().substring(root().length() + 1).replaceFirst("\\..*", ""))
                .distinct()).allMatch(layers()::contains);
    }

    @Test
    void layersPointOneWay() {
        layered(root(), layers()).check(mainClasses());
    }

    @Test
    void noPackageCycles() {
        acyclic(root()).check(mainClasses());
    }

    @Test
    void theRulesCatchAPlantedUpwardImportAndCycle() {
        String fixtureRoot = root() + ".archfixture";
        JavaClasses fixture = new ClassFileImporter().importPackages(fixtureRoot);
        assertThat(fixture).isNotEmpty();
        assertThat(layered(fixtureRoot, layers()).evaluate(fixture).hasViolation()).isTrue();
        assertThat(acyclic(fixtureRoot).evaluate(fixture).hasViolation()).isTrue();
    }
}
