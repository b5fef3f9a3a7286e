package attentionlab.experiments.tasks;

import java.util.Random;

/**
 * A synthetic task generated in memory: the training examples from the run's seed, the validation
 * examples from one fixed seed.
 */
public abstract class GeneratedTask implements Task {

    /** Validation examples are the same for every seed, so seeds are compared on one set. */
    static final long VALIDATION_SEED = 0x5EED_7A1DL;

    private final String name;
    private final int trainExamples;
    private final int valExamples;

    protected GeneratedTask(String name, int trainExamples, int valExamples) {
        this.name = name;
        this.trainExamples = trainExamples;
        this.valExamples = valExamples;
    }

    @Override
    public String name() {
        return name;
    }

    /** Training and validation example counts and the config key that sets them. */
    protected TaskSize size(long inputVocab, long outputVocab, long length, long channels, String vocabKeys,
                            String lengthKeys) {
        return new TaskSize(inputVocab, outputVocab, length, channels, trainExamples, valExamples, vocabKeys, lengthKeys,
                "task.train_examples " + trainExamples + ", task.val_examples " + valExamples);
    }

    /** {@code count} fresh examples drawn with {@code random}. */
    public abstract Examples generate(Random random, int count);

    @Override
    public Examples training(long seed) {
        return generate(new Random(seed), trainExamples);
    }

    @Override
    public Examples validation() {
        return generate(new Random(VALIDATION_SEED), valExamples);
    }
}
