package attentionlab.experiments.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TasksTest {

    static AssociativeRecallTask recall(String encoding, int pairs, int vocab) {
        return new AssociativeRecallTask(new AssociativeRecallConfig("associative-recall", encoding, pairs, vocab, 64, 16));
    }

    @Test
    void registryNamesEveryTaskAndRefusesUnknownAndDuplicateNames() {
        assertThat(Tasks.names()).containsExactly("associative-recall", "copy", "reverse", "sort", "sequence-file");
        assertThat(Tasks.type("sort").config()).isEqualTo(SequenceTaskConfig.class);
        assertThat(Tasks.type("recall")).isNull();
        assertThatThrownBy(() -> Tasks.register("copy", SequenceTaskConfig.class, java.util.Map.of(),
                c -> new SequenceTransformTask(SequenceTransformTask.Transform.COPY, c)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already registered");
    }

    /** Training examples come from the seed, validation examples are the same for every seed. */
    @Test
    void generatedTasksDrawTrainingFromTheSeedAndValidationFromOneFixedSeed() {
        AssociativeRecallTask task = recall("fused", 4, 8);
        assertThat(task.training(3).count()).isEqualTo(64);
        assertThat(task.training(3).tokens()).isEqualTo(task.training(3).tokens()).isNotEqualTo(task.training(4).tokens());
        assertThat(task.validation().count()).isEqualTo(16);
        assertThat(task.validation().tokens()).isEqualTo(recall("fused", 4, 8).validation().tokens());
    }

    @Test
    void fusedRecallAnswersTheValueOfTheQueriedKey() {
        AssociativeRecallTask task = recall("fused", 4, 8);
        assertThat(task.length()).isEqualTo(5);
        assertThat(task.channels()).isEqualTo(2);
        assertThat(task.inputVocab()).isEqualTo(17);
        assertThat(task.chanceAccuracy()).isEqualTo(1.0 / 8);
        Examples ex = task.generate(new Random(1), 200);
        for (int e = 0; e < ex.count(); e++) {
            int[] t = ex.tokensOf(e); // N x 2
            int[] labels = ex.labelsOf(e);
            Set<Integer> keys = new HashSet<>();
            for (int i = 0; i < 4; i++) {
                assertThat(t[2 * i]).isBetween(0, 7);
                assertThat(t[2 * i + 1]).isBetween(8, 15);
                keys.add(t[2 * i]);
            }
            assertThat(keys).hasSize(4); // distinct keys
            assertThat(t[9]).isEqualTo(16); // query marker
            int target = ex.targetKey()[e];
            assertThat(t[2 * target]).isEqualTo(t[8]); // the target position holds the queried key
            assertThat(labels[4]).isEqualTo(t[2 * target + 1] - 8); // answer = its value
            assertThat(Arrays.copyOf(labels, 4)).containsOnly(-1);
        }
    }

    @Test
    void interleavedRecallPutsKeysAndValuesInTurn() {
        AssociativeRecallTask task = recall("interleaved", 3, 5);
        assertThat(task.length()).isEqualTo(8);
        assertThat(task.channels()).isEqualTo(1);
        Examples ex = task.generate(new Random(2), 100);
        for (int e = 0; e < ex.count(); e++) {
            int[] t = ex.tokensOf(e);
            assertThat(t[6]).isEqualTo(10);
            int target = ex.targetKey()[e];
            assertThat(target % 2).isZero();
            assertThat(t[target]).isEqualTo(t[7]);
            assertThat(ex.labelsOf(e)[7]).isEqualTo(t[target + 1] - 5);
        }
    }

    @Test
    void sameSeedSameExamples() {
        GeneratedTask task = recall("fused", 6, 16);
        assertThat(task.generate(new Random(5), 50).tokens()).isEqualTo(task.generate(new Random(5), 50).tokens());
        assertThat(task.generate(new Random(5), 50).tokens()).isNotEqualTo(task.generate(new Random(6), 50).tokens());
    }

    @Test
    void copyReverseSortLabelTheOutputSlots() {
        for (String kind : new String[] {"copy", "reverse", "sort"}) {
            GeneratedTask task = (GeneratedTask) Tasks.create(new SequenceTaskConfig(kind, 5, 9, 50, 10));
            assertThat(task.name()).isEqualTo(kind);
            assertThat(task.length()).isEqualTo(11);
            assertThat(task.chanceAccuracy()).isEqualTo(1.0 / 9);
            assertThat(task.hasTargetKey()).isFalse();
            Examples ex = task.generate(new Random(3), 50);
            for (int e = 0; e < ex.count(); e++) {
                int[] t = ex.tokensOf(e);
                int[] y = Arrays.copyOfRange(ex.labelsOf(e), 6, 11);
                int[] x = Arrays.copyOf(t, 5);
                assertThat(t[5]).isEqualTo(9);
                assertThat(Arrays.copyOfRange(t, 6, 11)).containsOnly(10);
                assertThat(Arrays.copyOf(ex.labelsOf(e), 6)).containsOnly(-1);
                int[] expected = switch (kind) {
                    case "copy" -> x;
                    case "reverse" -> new int[] {x[4], x[3], x[2], x[1], x[0]};
                    default -> Arrays.stream(x).sorted().toArray();
                };
                assertThat(y).as(kind).isEqualTo(expected);
            }
        }
    }
}
