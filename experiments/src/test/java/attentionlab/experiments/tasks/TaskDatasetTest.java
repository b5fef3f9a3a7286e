package attentionlab.experiments.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Tasks as DJL datasets: records, stacking, and batches that depend only on (seed, step). */
class TaskDatasetTest {

    static final AssociativeRecallConfig RECALL = new AssociativeRecallConfig("associative-recall", "fused", 3, 6, 40, 8);

    @Test
    void recordsAreOneExampleAndBatchesStackThemInSamplerOrder() throws Exception {
        Examples examples = Tasks.create(RECALL).training(1);
        TaskDataset dataset = new TaskDataset(examples);
        assertThat(dataset.size()).isEqualTo(40);
        try (NDManager m = NDManager.newBaseManager()) {
            Iterator<Batch> batches = dataset.getData(m, new StepSampler(8, 5, 1, 2)).iterator();
            try (Batch batch = batches.next()) {
                assertThat(batch.getData().head().getShape()).isEqualTo(new Shape(8, 4, 2)); // [B,N,C]
                assertThat(batch.getData().head().getDataType()).isEqualTo(DataType.INT32);
                assertThat(batch.getLabels().head().getShape()).isEqualTo(new Shape(8, 4));
                int first = Math.toIntExact((Long) batch.getIndices().get(0));
                assertThat(batch.getData().head().get(0).toIntArray()).containsExactly(examples.tokensOf(first));
                assertThat(batch.getLabels().head().get(0).toIntArray()).containsExactly(examples.labelsOf(first));
            }
        }
    }

    /** What exact resume rests on: the batch of step t is the same whether iteration starts at step 1 or at t. */
    @Test
    void theBatchOfAStepDependsOnlyOnSeedAndStep() {
        StepSampler sampler = new StepSampler(8, 5, 1, 12);
        TaskDataset dataset = new TaskDataset(Tasks.create(RECALL).training(1));
        List<List<Long>> fromStart = new ArrayList<>();
        sampler.sample(dataset).forEachRemaining(fromStart::add);
        assertThat(fromStart).hasSize(12);
        List<List<Long>> fromSeven = new ArrayList<>();
        new StepSampler(8, 5, 7, 12).sample(dataset).forEachRemaining(fromSeven::add);
        assertThat(fromSeven).isEqualTo(fromStart.subList(6, 12));
        for (int step = 1; step <= 12; step++) {
            assertThat(sampler.indices(40, step)).containsExactly(fromStart.get(step - 1).stream().mapToInt(Long::intValue).toArray());
        }
        assertThat(new StepSampler(8, 6, 1, 1).indices(40, 1)).isNotEqualTo(sampler.indices(40, 1));
    }

    /** 40 examples, batch 8: each epoch of 5 steps visits every example once, in a new order. */
    @Test
    void everyEpochIsAPermutation() {
        StepSampler sampler = new StepSampler(8, 5, 1, 10);
        for (int epoch = 0; epoch < 2; epoch++) {
            Set<Integer> seen = new HashSet<>();
            for (int step = epoch * 5 + 1; step <= epoch * 5 + 5; step++) {
                Arrays.stream(sampler.indices(40, step)).forEach(seen::add);
            }
            assertThat(seen).hasSize(40);
        }
        assertThat(sampler.indices(40, 1)).isNotEqualTo(sampler.indices(40, 6));
    }
}
