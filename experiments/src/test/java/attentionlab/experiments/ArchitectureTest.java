package attentionlab.experiments;

import attentionlab.models.LayeredArchitectureTest;
import java.util.List;

/**
 * The experiments module's layers (docs/design.md), checked by the models module's
 * {@link LayeredArchitectureTest}: train.listeners belongs to train, claims.homework to claims. The
 * planted fixture is {@code archfixture.core} importing {@code archfixture.cli}.
 */
class ArchitectureTest extends LayeredArchitectureTest {

    @Override
    protected String root() {
        return "attentionlab.experiments";
    }

    @Override
    protected List<String> layers() {
        return List.of("core", "io", "plot", "layout", "maps", "tasks", "config", "model", "train", "sweep", "tensorboard", "compare",
                "bench", "claims", "cli");
    }
}
