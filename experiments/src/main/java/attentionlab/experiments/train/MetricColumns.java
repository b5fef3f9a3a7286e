package attentionlab.experiments.train;

import java.util.ArrayList;
import java.util.List;

/** The metrics.csv columns of a run, fixed when it starts. */
public final class MetricColumns {

    public static final String STEP = "step";
    public static final String WALL_TIME = "wall_time_s";
    public static final String TRAIN_LOSS = "train/loss";
    public static final String TRAIN_ACCURACY = "train/accuracy";
    public static final String VAL_LOSS = "val/loss";
    public static final String VAL_ACCURACY = "val/accuracy";
    public static final String VAL_SEQUENCE_ACCURACY = "val/sequence_accuracy";
    public static final String LR = "lr";
    public static final String GRAD_NORM = "grad_norm/";
    public static final String ATTN_TARGET = "attn_target/";

    private MetricColumns() {}

    /**
     * step, wall_time_s, train/loss, train/accuracy, val/loss, val/accuracy, val/sequence_accuracy, lr,
     * grad_norm/&lt;param&gt; per trainable parameter, attn_target/layer&lt;L&gt;_head&lt;H&gt; (tasks with a target key).
     */
    public static List<String> of(TrainingSession session) {
        List<String> columns = new ArrayList<>(List.of(STEP, WALL_TIME, TRAIN_LOSS, TRAIN_ACCURACY, VAL_LOSS, VAL_ACCURACY,
                VAL_SEQUENCE_ACCURACY, LR));
        session.parameterNames().forEach(n -> columns.add(GRAD_NORM + n));
        if (session.task().hasTargetKey()) {
            columns.addAll(attentionColumns(session.config().model().layers(), session.config().model().heads()));
        }
        return columns;
    }

    public static List<String> attentionColumns(int layers, int heads) {
        List<String> columns = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            for (int h = 0; h < heads; h++) {
                columns.add(ATTN_TARGET + "layer" + l + "_head" + h);
            }
        }
        return columns;
    }
}
