package attentionlab.models.archfixture.attention;

import attentionlab.models.archfixture.kernel.PointsUp;

/** Planted fixture for ArchitectureTest: imports the layer below (allowed), closing a cycle with it. */
public final class Above {

    public PointsUp below() {
        return null;
    }
}
