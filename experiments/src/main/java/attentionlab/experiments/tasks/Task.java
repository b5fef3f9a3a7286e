package attentionlab.experiments.tasks;

import java.util.ArrayList;
import java.util.List;

/**
 * A sequence task: its vocabulary and shapes, and its examples. Inputs are token ids [N] per example
 * (or [N,C] when each position carries C ids whose embeddings are summed); labels are output classes
 * at the positions that carry a loss and -1 elsewhere. {@link TaskDataset} serves the examples to DJL.
 */
public interface Task {

    String name();

    /** Number of input token ids. */
    int inputVocab();

    /** Number of output classes V_out. */
    int outputVocab();

    /** Sequence length N. */
    int length();

    /** Ids per position C (1: inputs [B,N]; more: inputs [B,N,C]). */
    default int channels() {
        return 1;
    }

    /** Accuracy of guessing uniformly among the output classes: 1 / V_out. */
    default double chanceAccuracy() {
        return 1.0 / outputVocab();
    }

    /** Whether examples name a target key position (attention-on-target figures are logged). */
    default boolean hasTargetKey() {
        return false;
    }

    /** The task's sizes, without generating or reading any example. */
    TaskSize size();

    /** A readable name of input token {@code id}, for plots (default: the id). */
    default String tokenName(int id) {
        return Integer.toString(id);
    }

    /** The names of the N positions of example {@code i}: each position's token names, joined by a space. */
    default List<String> positionNames(Examples examples, int i) {
        int[] ids = examples.tokensOf(i);
        int c = examples.channels();
        List<String> names = new ArrayList<>(examples.length());
        for (int p = 0; p < examples.length(); p++) {
            StringBuilder name = new StringBuilder();
            for (int k = 0; k < c; k++) {
                name.append(k == 0 ? "" : " ").append(tokenName(ids[p * c + k]));
            }
            names.add(name.toString());
        }
        return names;
    }

    /** The training examples of a run with this seed. */
    Examples training(long seed);

    /** The validation examples: the same for every seed, so seeds are compared on one set. */
    Examples validation();
}
