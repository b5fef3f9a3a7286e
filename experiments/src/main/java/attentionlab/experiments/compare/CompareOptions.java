package attentionlab.experiments.compare;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link Comparison#run} draws.
 *
 * @param dirs run or experiment directories
 * @param metrics metric columns to plot (names; '*' matches any characters); empty = the defaults
 * @param smooth TensorBoard smoothing weight in [0, 1); 0 = raw values
 * @param band what the band shows
 * @param out output directory; null = {@code <first experiment dir>/comparison}
 * @param tensorboard whether to also write TensorBoard event files under {@code out/tensorboard}
 */
public record CompareOptions(List<Path> dirs, List<String> metrics, double smooth, Band band, Path out,
                             boolean tensorboard) {

    public static CompareOptions of(List<Path> dirs) {
        return new CompareOptions(dirs, List.of(), 0, Band.MINMAX, null, false);
    }

    public CompareOptions withMetrics(List<String> selected) {
        return new CompareOptions(dirs, selected, smooth, band, out, tensorboard);
    }
}
