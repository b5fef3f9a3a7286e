package attentionlab.experiments.archfixture.core;

import attentionlab.experiments.archfixture.cli.Top;

/** Planted violation for ArchitectureTest: the bottom layer imports the top one. */
public final class PointsUp {

    public Top top() {
        return new Top();
    }
}
