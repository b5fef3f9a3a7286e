package attentionlab.experiments.tensorboard;

import java.nio.file.Path;
import java.util.List;

/**
 * One run's scalars as TensorBoard gets them.
 *
 * @param relativeDir where the run's event file goes, relative to the export directory
 *     (TensorBoard names the run by it)
 * @param wallSteps the steps whose wall time is known, ascending
 * @param wallTimes seconds since the run started, at each of {@code wallSteps}
 * @param scalars one series per tag
 */
public record RunScalars(Path relativeDir, double[] wallSteps, double[] wallTimes, List<Scalar> scalars) {

    /**
     * @param tag the scalar's name, e.g. {@code train/loss}
     * @param steps the logged steps
     * @param values the value at each step
     */
    public record Scalar(String tag, double[] steps, double[] values) {}
}
