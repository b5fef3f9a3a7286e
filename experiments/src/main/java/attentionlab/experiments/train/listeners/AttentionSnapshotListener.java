package attentionlab.experiments.train.listeners;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import attentionlab.experiments.maps.AttentionSnapshots;
import attentionlab.experiments.maps.SnapshotExamples;
import attentionlab.experiments.tasks.Examples;
import attentionlab.experiments.train.StepContext;
import attentionlab.experiments.train.StepListener;
import attentionlab.experiments.train.TrainingSession;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Saves the attention weights of the first {@link AttentionSnapshots#EXAMPLES} validation examples,
 * every layer and head, at every evaluation step (0, every eval_every, the last), so that attention
 * maps can be drawn later without re-computing them ({@code lab inspect}). At start it writes
 * {@code attention/examples.json} (the examples' position names and matching keys) and, on resume,
 * deletes the snapshots after the checkpoint's step, which the resumed run recomputes.
 */
public final class AttentionSnapshotListener implements StepListener {

    private int count;

    @Override
    public void onStart(TrainingSession session) {
        Examples val = session.validation();
        count = Math.min(AttentionSnapshots.EXAMPLES, val.count());
        List<Integer> indices = new ArrayList<>();
        List<List<String>> positions = new ArrayList<>();
        List<Integer> targetQuery = new ArrayList<>();
        List<Integer> targetKey = new ArrayList<>();
        for (int e = 0; e < count; e++) {
            indices.add(e);
            positions.add(session.task().positionNames(val, e));
            boolean target = session.task().hasTargetKey() && val.targetKey()[e] >= 0;
            targetQuery.add(target ? val.length() - 1 : -1); // the query is the last position (see ValidationListener)
            targetKey.add(target ? val.targetKey()[e] : -1);
        }
        AttentionSnapshots.writeExamples(session.dir().layout(), new SnapshotExamples(indices, positions, targetQuery, targetKey));
        AttentionSnapshots.removeAfter(session.dir().layout(), session.stepsCompleted());
    }

    @Override
    public void afterStep(StepContext step) {
        if (step.isEvalStep()) {
            save(step.session(), step.step());
        }
    }

    private void save(TrainingSession session, int step) {
        Examples val = session.validation();
        try (NDManager scratch = session.trainer().getManager().newSubManager()) {
            int[] ids = Arrays.copyOf(val.tokens(), count * val.length() * val.channels());
            Shape shape = val.channels() == 1 ? new Shape(count, val.length()) : new Shape(count, val.length(), val.channels());
            NDArray tokens = scratch.create(ids, shape); // [E,N] or [E,N,C]
            List<NDArray> maps = session.block().attentionWeights(new ParameterStore(scratch, false), new NDList(tokens)); // L x [E,H,N,N]
            AttentionSnapshots.write(session.dir().layout(), step, maps);
        }
    }
}
