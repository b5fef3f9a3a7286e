package attentionlab.experiments.layout;

import java.util.ArrayList;
import java.util.List;

/** The columns of a run's metrics.csv, in file order; an empty cell means "not logged at this step". */
public final class MetricColumns {

    public static final String STEP = "step";
    public static final String WALL_TIME = "wall_time_s";
    public static final String TRAIN_LOSS = "train/loss";
    public static final String TRAIN_ACCURACY = "train/accuracy";
    public static final String VAL_LOSS = "val/loss";
    public static final String VAL_ACCURACY = "val/accuracy";
    public static final String VAL_SEQUENCE_ACCURACY = "val/sequence_accuracy";
    public static final String LR = "lr";
    /** Prefix of the gradient-norm column of each trainable parameter: {@code grad_norm/<parameter>}. */
    public static final String GRAD_NORM = "grad_norm/";
    /** Prefix of the attention-on-target columns: {@code attn_target/layer<L>_head<H>}. */
    public static final String ATTN_TARGET = "attn_target/";

    /** The losses and accuracies, in table order: what summaries lead with. */
    public static final List<String> HEADLINE = List.of(TRAIN_LOSS, VAL_LOSS, TRAIN_ACCURACY, VAL_ACCURACY, VAL_SEQUENCE_ACCURACY);

    private MetricColumns() {}

    /**
     * step, wall_time_s, train/loss, train/accuracy, val/loss, val/accuracy, val/sequence_accuracy, lr,
     * grad_norm/&lt;param&gt; per trainable parameter, attn_target/layer&lt;L&gt;_head&lt;H&gt; (tasks with a target key).
     *
     * @param parameters readable names of the trainable parameters
     * @param attentionLayers layers with attention-on-target columns (0 when the task has no target key)
     */
    public static List<String> of(List<String> parameters, int attentionLayers, int heads) {
        List<String> columns = new ArrayList<>(List.of(STEP, WALL_TIME, TRAIN_LOSS, TRAIN_ACCURACY, VAL_LOSS, VAL_ACCURACY,
                VAL_SEQUENCE_ACCURACY, LR));
        parameters.forEach(n -> columns.add(GRAD_NORM + n));
        columns.addAll(attentionColumns(attentionLayers, heads));
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

    /** The gradient-norm column of a parameter. */
    public static String gradNorm(String parameter) {
        return GRAD_NORM + parameter;
    }

    /** Whether a column is a gradient norm (drawn on a log axis, left out of summaries). */
    public static boolean isGradNorm(String column) {
        return column.startsWith(GRAD_NORM);
    }

    /** Whether a column is an attention-on-target figure. */
    public static boolean isAttentionOnTarget(String column) {
        return column.startsWith(ATTN_TARGET);
    }

    /** Whether a column is a metric (every column except step and wall_time_s). */
    public static boolean isMetric(String column) {
        return !column.equals(STEP) && !column.equals(WALL_TIME);
    }
}
