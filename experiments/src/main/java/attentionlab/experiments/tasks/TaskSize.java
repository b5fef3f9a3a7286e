package attentionlab.experiments.tasks;

/**
 * A task's sizes, known before any example exists and computed in long arithmetic (so that a config
 * with a huge vocabulary or length gives a huge number, not an overflowed int), with the config keys
 * that set them, for messages.
 *
 * @param inputVocab number of input token ids
 * @param outputVocab output classes V_out
 * @param length sequence length N
 * @param channels ids per position C
 * @param trainExamples training examples
 * @param valExamples validation examples
 * @param vocabKeys the keys that set the vocabulary, with their values (e.g. {@code task.vocab 16})
 * @param lengthKeys the keys that set N, with their values (e.g. {@code task.pairs 6})
 * @param examplesKeys the keys that set the number of examples, with their values
 */
public record TaskSize(long inputVocab, long outputVocab, long length, long channels, long trainExamples, long valExamples,
                       String vocabKeys, String lengthKeys, String examplesKeys) {

    /** Ints held per example in Java arrays: N C tokens, N labels, one target position. */
    public long intsPerExample() {
        return length * channels + length + 1;
    }
}
