package attentionlab.experiments.archfixture.cli;

import attentionlab.experiments.archfixture.core.PointsUp;

/** Planted fixture for ArchitectureTest: imports the bottom layer (allowed), closing a cycle with it. */
public final class Top {

    public PointsUp bottom() {
        return null;
    }
}
