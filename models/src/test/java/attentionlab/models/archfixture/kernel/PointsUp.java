package attentionlab.models.archfixture.kernel;

import attentionlab.models.archfixture.attention.Above;

/** Planted violation for ArchitectureTest: the bottom layer imports the one above it. */
public final class PointsUp {

    public Above above() {
        return new Above();
    }
}
