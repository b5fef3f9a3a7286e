package attentionlab.models;

import java.util.List;

/**
 * The models module's layers (docs/design.md), checked by {@link LayeredArchitectureTest}; the planted
 * fixture is {@code archfixture.kernel} importing {@code archfixture.attention}.
 */
class ArchitectureTest extends LayeredArchitectureTest {

    @Override
    protected String root() {
        return "attentionlab.models";
    }

    @Override
    protected List<String> layers() {
        return List.of("ops", "kernel", "attention", "stack", "decode", "weights", "reference");
    }
}
