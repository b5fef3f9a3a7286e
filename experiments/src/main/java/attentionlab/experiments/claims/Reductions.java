package attentionlab.experiments.claims;

import java.util.List;

/** How quick mode's reductions are written next to a verdict or a study's findings. */
public final class Reductions {

    private Reductions() {}

    /** " (quick: a, b)", or "" when nothing was reduced. */
    public static String suffix(List<String> reductions) {
        return reductions.isEmpty() ? "" : " (quick: " + String.join(", ", reductions) + ")";
    }
}
